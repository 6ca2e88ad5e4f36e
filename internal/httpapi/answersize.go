package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/coopgraph/coopgraph/internal/outcome"
	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// CodeResponseTooLarge is the extensions.code of an answer past
// Config.MaxResponseBytes.
const CodeResponseTooLarge = wirecode.ResponseTooLarge

// capAnswers holds each answer until it is complete, and replaces one
// larger than max bytes (before compression) with a coded error: no
// request may make the service send more than max, whatever its limits let
// through.
func capAnswers(max int64, next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &cappedWriter{ResponseWriter: w, max: max}
		next.ServeHTTP(c, r)
		if c.over {
			o := outcome.From(r.Context())
			o.SetCode(CodeResponseTooLarge)
			msg := fmt.Sprintf("the answer is larger than %d bytes: ask for smaller pages, fewer fields or fewer aliases", max)
			ext := map[string]any{"code": CodeResponseTooLarge, "limitBytes": max}
			if len(o.Written()) > 0 {
				// The answer is lost, not the write: say so, lest it be sent again.
				msg += "; the request's write was committed: read it back rather than sending it again"
				ext["committed"] = true
			}
			body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": ext}}})
			h := w.Header()
			h.Del("Content-Length")
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK) // as a request error under application/json
			w.Write(body)
			return
		}
		if c.status != 0 {
			w.WriteHeader(c.status)
		}
		w.Write(c.buf.Bytes())
	})
}

type cappedWriter struct {
	http.ResponseWriter
	max    int64
	buf    bytes.Buffer
	status int
	over   bool
}

func (c *cappedWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *cappedWriter) Write(b []byte) (int, error) {
	if c.over {
		return len(b), nil
	}
	if int64(c.buf.Len()+len(b)) > c.max {
		c.over = true
		c.buf = bytes.Buffer{}
		return len(b), nil
	}
	return c.buf.Write(b)
}
