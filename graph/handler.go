package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/metrics"
	"github.com/coopgraph/coopgraph/internal/outcome"
	"github.com/coopgraph/coopgraph/internal/querycost"
	"github.com/coopgraph/coopgraph/internal/requestid"
	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// Options configure the GraphQL handler.
type Options struct {
	Limits querycost.Limits
	// ParserTokenLimit bounds the tokens of a query document, so that a
	// huge document is refused before it is parsed whole.
	ParserTokenLimit int
	Logger           *slog.Logger
	// Metrics counts writes by mutation; nil counts nothing.
	Metrics *metrics.Metrics
}

// DefaultOptions are the limits coopgraph serves with.
func DefaultOptions(logger *slog.Logger) Options {
	return Options{Limits: querycost.DefaultLimits, ParserTokenLimit: querycost.DefaultLimits.TokenLimit, Logger: logger}
}

// NewHandler returns the GraphQL endpoint over store: POST with
// application/json, GET for queries only. Who may call what is said in the
// schema (@requires) and checked against the principal the auth middleware
// put in the request's context.
func NewHandler(store Backend, opts Options) http.Handler {
	cfg := Config{Resolvers: &Resolver{Store: store, Curator: store, Keys: store}}
	cfg.Directives.Requires = func(ctx context.Context, _ any, next graphql.Resolver, role coop.Role) (any, error) {
		if err := auth.Require(ctx, role); err != nil {
			return nil, err
		}
		return next(ctx)
	}
	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{}) // refuses mutations
	srv.AddTransport(postJSON{})      // gqlgen's POST, the data sent as written
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(opts.ParserTokenLimit)
	srv.Use(extension.Introspection{})
	srv.Use(operationNamer{}) // before the limits, so that refused operations are named too
	srv.Use(querycost.Extension{Limits: opts.Limits})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		respond := next(WithLoaders(ctx, store))
		return func(ctx context.Context) *graphql.Response {
			resp := respond(ctx)
			if resp == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				// gqlgen gives up silently on a dead context; say why.
				return &graphql.Response{Errors: gqlerror.List{{Message: coop.Timeout(nil).Message,
					Extensions: map[string]any{"code": wirecode.Timeout, "requestId": requestid.From(ctx)}}}}
			}
			return resp
		}
	})
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		m, ctx, ok := fastNetwork(ctx, store)
		if ok {
			return m
		}
		return next(ctx)
	})
	// An unknown value is null, never an empty string: the domain keeps
	// absent text and enums (a citation's status, say) as "", and nullable
	// fields answer it as null.
	srv.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		res, err := next(ctx)
		if fc := graphql.GetFieldContext(ctx); err == nil && fc != nil && fc.Object == "Mutation" {
			opts.Metrics.Write(fc.Field.Name)
		}
		if v := reflect.ValueOf(res); v.Kind() == reflect.String && v.Len() == 0 {
			if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Field.Definition != nil && !fc.Field.Definition.Type.NonNull {
				return nil, err
			}
		}
		return res, err
	})
	srv.SetErrorPresenter(presenter(opts.Logger))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		opts.Logger.ErrorContext(ctx, "panic in resolver", "request_id", requestid.From(ctx), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return errors.New("panic in resolver")
	})
	return statusForJSON(srv)
}

// presenter turns errors into what clients see: coded domain errors as they
// are, gqlgen's own parse and validation errors as they are (minus anything
// that echoes the request), and anything else as a bare internal error,
// logged with the request id.
// operationNamer tells the HTTP layer, which logs and counts each request,
// the name of its operation and its variables.
type operationNamer struct{}

func (operationNamer) ExtensionName() string                   { return "OperationNamer" }
func (operationNamer) Validate(graphql.ExecutableSchema) error { return nil }

func (operationNamer) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	name := rc.OperationName
	if name == "" && rc.Operation != nil {
		name = rc.Operation.Name
	}
	outcome.From(ctx).SetOperation(name, rc.Variables)
	return nil
}

// presenter codes every error (see present) and bounds what it quotes.
func presenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	present := present(logger)
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := present(ctx, err)
		if code, ok := out.Extensions["code"].(string); ok {
			outcome.From(ctx).SetCode(code)
		}
		out.Message = shortenQuotes(out.Message)
		if ids, ok := out.Extensions["ids"].([]string); ok {
			short := make([]string, 0, min(len(ids), maxQuotedIDs))
			for _, id := range ids[:min(len(ids), maxQuotedIDs)] {
				short = append(short, shorten(id))
			}
			out.Extensions["ids"] = short
		}
		return out
	}
}

// Errors quote what they are about (an id, a name, a value) at most
// quoteRunes characters long, and at most maxQuotedIDs ids: a request
// naming a 900,000-character id gets a short answer.
const (
	quoteRunes   = 60
	maxQuotedIDs = 20
)

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// shortenQuotes shortens every quoted string in a message, and the message
// itself.
func shortenQuotes(msg string) string {
	msg = quoted.ReplaceAllStringFunc(msg, func(q string) string {
		if utf8.RuneCountInString(q) <= quoteRunes+2 {
			return q
		}
		return `"` + shorten(q[1:len(q)-1]) + `"`
	})
	if utf8.RuneCountInString(msg) > 4*quoteRunes*4 {
		msg = string([]rune(msg)[:4*quoteRunes*4]) + "…"
	}
	return msg
}

// shorten keeps the first quoteRunes characters of a long value and says
// how long it was.
func shorten(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= quoteRunes {
		return s
	}
	return fmt.Sprintf("%s…(%d characters)", string([]rune(s)[:quoteRunes]), n)
}

// argumentOf names the argument an error of argument coercion is about:
// gqlgen reports it as one more path element after the field's.
func argumentOf(ctx context.Context, ge *gqlerror.Error) (string, bool) {
	path := graphql.GetPath(ctx)
	if len(ge.Path) > len(path) {
		if name, ok := ge.Path[len(path)].(ast.PathName); ok {
			return string(name), true
		}
	}
	return "", false
}

func present(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		rid := requestid.From(ctx)
		var ce *coop.Error
		if errors.As(err, &ce) {
			path := graphql.GetPath(ctx)
			if ce.Field == "" {
				// Argument coercion (a malformed Date, say).
				var ge *gqlerror.Error
				if errors.As(err, &ge) {
					if name, ok := argumentOf(ctx, ge); ok {
						named := *ce
						named.Field = name
						ce = &named
					}
				}
			}
			if ce.Err != nil || ce.Code == coop.CodeInternal {
				logger.WarnContext(ctx, "query failed", "request_id", rid, "code", wirecode.Of(ce.Code), "error", err)
			}
			ext := map[string]any{"code": wirecode.Of(ce.Code)}
			if ce.Field != "" {
				ext["argument"] = ce.Field
			}
			if len(ce.IDs) > 0 {
				ext["ids"] = ce.IDs
			}
			if ce.Code == coop.CodeUnavailable || ce.Code == coop.CodeTimeout || ce.Code == coop.CodeInternal {
				ext["requestId"] = rid
			}
			return &gqlerror.Error{Message: ce.Error(), Path: path, Extensions: ext}
		}
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Err == nil && !(len(ge.Path) > 0 && ge.Message == "must not be null") {
			if strings.HasPrefix(ge.Message, "json request body could not be decoded") {
				// gqlgen's message quotes the whole body back.
				return &gqlerror.Error{Message: "the request body is not valid JSON", Extensions: map[string]any{"code": wirecode.BadRequest}}
			}
			if ge.Extensions == nil || ge.Extensions["code"] == nil {
				out := *ge
				out.Extensions = map[string]any{"code": wirecode.BadUserInput}
				for k, v := range ge.Extensions {
					out.Extensions[k] = v
				}
				return &out
			}
			return ge
		}
		// A value of a scalar gqlgen parses itself (Time, Int) that does not
		// parse is the caller's mistake, whatever the parser said.
		if errors.As(err, &ge) && ge.Err != nil {
			if name, ok := argumentOf(ctx, ge); ok {
				return &gqlerror.Error{Message: name + ": " + ge.Err.Error(), Path: graphql.GetPath(ctx),
					Extensions: map[string]any{"code": wirecode.BadUserInput, "argument": name}}
			}
		}
		logger.ErrorContext(ctx, "internal error", "request_id", rid, "error", err)
		return &gqlerror.Error{Message: "internal error; quote request id " + rid + " when reporting it",
			Path: graphql.GetPath(ctx), Extensions: map[string]any{"code": wirecode.Internal, "requestId": rid}}
	}
}

// statusForJSON answers 200, not 422, for request errors under
// application/json, as the GraphQL-over-HTTP specification asks; under
// application/graphql-response+json gqlgen's 400 stands, and the answer
// loses its "data": null (a request error has no data entry at all). A
// mutation sent by GET, which gqlgen refuses with an uncoded 406, gets the
// specification's 405 and a coded error.
func statusForJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		jw := &jsonStatus{ResponseWriter: w, get: r.Method == http.MethodGet}
		next.ServeHTTP(jw, r)
		if jw.held == nil {
			return
		}
		body := bytes.Replace(jw.held.Bytes(), []byte(`,"data":null}`), []byte(`}`), 1)
		if jw.code == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", "POST")
			body = mutationByGET
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(jw.code)
		w.Write(body)
	})
}

var mutationByGET = []byte(`{"errors":[{"message":"a mutation must be sent by POST: GET requests only run queries","extensions":{"code":"` + wirecode.MethodNotAllowed + `"}}]}`)

type jsonStatus struct {
	http.ResponseWriter
	get  bool // the request is a GET
	code int
	held *bytes.Buffer // the body of a request error, rewritten at the end
}

func (w *jsonStatus) WriteHeader(code int) {
	contentType := w.Header().Get("Content-Type")
	switch {
	case code == http.StatusNotAcceptable && w.get:
		// gqlgen's GET transport says 406 only when the operation is not a query.
		w.code, w.held = http.StatusMethodNotAllowed, &bytes.Buffer{}
		return
	case code == http.StatusUnprocessableEntity && strings.HasPrefix(contentType, "application/json"):
		code = http.StatusOK
	case code == http.StatusBadRequest && strings.HasPrefix(contentType, "application/graphql-response+json"):
		w.code, w.held = code, &bytes.Buffer{}
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *jsonStatus) Write(b []byte) (int, error) {
	if w.held != nil {
		return w.held.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *jsonStatus) Unwrap() http.ResponseWriter { return w.ResponseWriter }
