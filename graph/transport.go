package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// postJSON is gqlgen's POST transport with one change: the answer's data,
// which the executor has already written as compact JSON, is sent as it
// is. gqlgen marshals the whole response with encoding/json, which scans
// and compacts the data once more: on large answers (a network of
// thousands of nodes) that alone was a third of the API's own time. A body
// that does not decode is left to gqlgen's transport, which reports it.
type postJSON struct{ transport.POST }

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

func (t postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	var params graphql.RawParams
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		err = dec.Decode(&params)
	}
	if err != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		t.POST.Do(w, r, exec)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	media := responseMedia(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", media)
	ctx := r.Context()
	op, errs := exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		status := http.StatusOK
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
			if media == mediaGraphQLResponse {
				status = http.StatusBadRequest
			}
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, op), errs))
		return
	}
	respond, ctx := exec.DispatchOperation(ctx, op)
	writeResponse(w, respond(ctx))
}

// responseMedia picks the answer's media type from the Accept header as
// gqlgen does: the first of the two JSON types named, application/json for
// none or a wildcard, application/graphql-response+json otherwise.
func responseMedia(accept string) string {
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		media, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch media {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// writeResponse writes what json.Marshal(resp) would, with the data as is
// (where encoding/json would also escape < > & as \u003c and the like).
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp == nil {
		return
	}
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		b, _ := json.Marshal(resp) // incremental delivery: not served here, but never mangled
		w.Write(b)
		return
	}
	var buf bytes.Buffer
	buf.Grow(len(resp.Data) + 64)
	buf.WriteByte('{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			errs = []byte(`[{"message":"internal error"}]`)
		}
		buf.WriteString(`"errors":`)
		buf.Write(errs)
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		buf.WriteString("null")
	} else {
		buf.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		if ext, err := json.Marshal(resp.Extensions); err == nil {
			buf.WriteString(`,"extensions":`)
			buf.Write(ext)
		}
	}
	buf.WriteByte('}')
	w.Write(buf.Bytes())
}
