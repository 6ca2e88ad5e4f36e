package httpapi

import (
	"net/http"
	"slices"
	"strings"
)

// DefaultCORSOrigins are the origins front-end development servers use by
// default (Create React App and Next.js on 3000, Vite on 5173).
var DefaultCORSOrigins = []string{"http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:5173", "http://127.0.0.1:5173"}

// ParseOrigins reads a comma-separated allow-list; "*" allows any origin.
func ParseOrigins(s string) []string {
	var out []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			out = append(out, o)
		}
	}
	return out
}

var corsHeaders = []string{"Content-Type", "Authorization", "X-API-Key", "X-Request-Id", BookmarkHeader}

// cors lets browsers on allowed origins call the API: it answers preflight
// requests itself and marks answers to allowed origins. Requests from other
// origins are served without CORS headers, so browsers withhold the answer.
func cors(origins []string, next http.Handler) http.Handler {
	anyOrigin := slices.Contains(origins, "*")
	allowed := func(o string) bool { return anyOrigin || slices.Contains(origins, o) }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Answers differ by Origin, also when there is none: caches must know.
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if !allowed(origin) {
			if preflight {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Expose-Headers", "X-Request-Id, "+BookmarkHeader)
		if preflight {
			w.Header().Add("Vary", "Access-Control-Request-Method")
			w.Header().Add("Vary", "Access-Control-Request-Headers")
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", strings.Join(corsHeaders, ", "))
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
