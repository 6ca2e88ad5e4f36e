package httpapi

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"sort"
	"strings"
)

//go:embed examples/*.graphql
var exampleFiles embed.FS

// Example is one query the IDE opens in a tab.
type Example struct {
	Name  string `json:"-"`
	Query string `json:"query"`
}

// Examples returns the IDE's example queries, in tab order.
func Examples() []Example {
	names, _ := fs.Glob(exampleFiles, "examples/*.graphql")
	sort.Strings(names)
	out := make([]Example, 0, len(names))
	for _, n := range names {
		b, _ := exampleFiles.ReadFile(n)
		out = append(out, Example{Name: strings.TrimSuffix(strings.TrimPrefix(n, "examples/"), ".graphql"), Query: string(b)})
	}
	return out
}

// The IDE is GraphiQL, loaded by the browser from a CDN; the service itself
// serves only this page.
var playgroundPage = template.Must(template.New("ide").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>coopgraph GraphQL IDE</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
</head>
<body>
<div id="graphiql">Loading the GraphQL IDE... (it needs access to unpkg.com; the API itself is at <code>/graphql</code>)</div>
<script src="https://unpkg.com/react@18.3.1/umd/react.production.min.js" crossorigin></script>
<script src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js" crossorigin></script>
<script src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js" crossorigin></script>
<script id="examples" type="application/json">{{.Examples}}</script>
<script>
  const tabs = JSON.parse(document.getElementById('examples').textContent);
  const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultTabs: tabs, defaultEditorToolsVisibility: true }));
</script>
</body>
</html>
`))

func playground() http.Handler {
	examples, _ := json.Marshal(Examples())
	var page bytes.Buffer
	if err := playgroundPage.Execute(&page, map[string]any{"Examples": template.JS(examples)}); err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page.Bytes())
	})
}
