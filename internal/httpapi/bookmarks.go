package httpapi

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/coopgraph/coopgraph/internal/outcome"
	"github.com/coopgraph/coopgraph/internal/wirecode"
)

// BookmarkHeader carries causal-consistency bookmarks both ways. An answer
// to a request that wrote holds the write's bookmark; a client that sends
// it back on a later request, to any replica, reads that write. (On a
// single Neo4j server every read sees every committed write anyway.)
const BookmarkHeader = "X-Coopgraph-Bookmark"

// At most this many bookmarks, of at most bookmarkBytes each, per request.
const (
	maxBookmarks  = 10
	bookmarkBytes = 1024
)

// withBookmarks hands the request's bookmarks to the store (through the
// outcome) and puts the bookmarks of its writes on the answer. Bookmarks
// go out signed with secret (HMAC-SHA-256), and only signed ones come in:
// a made-up bookmark would make Neo4j wait for a transaction that never
// comes. Replicas that accept each other's bookmarks share the secret; an
// empty one is replaced by a random one, good for this process only.
func withBookmarks(secret []byte, next http.Handler) http.Handler {
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var given []string
		for _, v := range r.Header.Values(BookmarkHeader) {
			for _, b := range strings.Split(v, ",") {
				if b = strings.TrimSpace(b); b != "" {
					given = append(given, b)
				}
			}
		}
		// Count and size first: only then the (costlier) signatures.
		ok := len(given) <= maxBookmarks && printable(given)
		var after []string
		for _, b := range given {
			if !ok {
				break
			}
			raw, good := verifyBookmark(secret, b)
			ok = good
			after = append(after, raw)
		}
		if !ok {
			outcome.From(r.Context()).SetCode(wirecode.BadRequest)
			wirecode.Write(w, http.StatusBadRequest, wirecode.BadRequest,
				"the "+BookmarkHeader+" header holds more than 10 bookmarks, or one this service did not give", "")
			return
		}
		o := outcome.From(r.Context())
		o.ReadAfter(after)
		next.ServeHTTP(&bookmarkWriter{ResponseWriter: w, o: o, secret: secret}, r)
	})
}

// signBookmark appends a bookmark's signature: "RAW~SIG".
func signBookmark(secret []byte, raw string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(raw))
	return raw + "~" + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// verifyBookmark checks a signed bookmark and returns the raw one.
func verifyBookmark(secret []byte, signed string) (string, bool) {
	i := strings.LastIndexByte(signed, '~')
	if i < 0 {
		return "", false
	}
	raw := signed[:i]
	return raw, hmac.Equal([]byte(signBookmark(secret, raw)), []byte(signed))
}

func printable(bookmarks []string) bool {
	for _, b := range bookmarks {
		if len(b) > bookmarkBytes {
			return false
		}
		for i := 0; i < len(b); i++ {
			if b[i] < 0x21 || b[i] > 0x7e {
				return false
			}
		}
	}
	return true
}

// bookmarkWriter sets the bookmark header as the answer starts: by then
// every write of the request has committed.
type bookmarkWriter struct {
	http.ResponseWriter
	o       *outcome.Outcome
	secret  []byte
	started bool
}

func (b *bookmarkWriter) start() {
	if !b.started {
		b.started = true
		if written := b.o.Written(); len(written) > 0 {
			signed := make([]string, len(written))
			for i, w := range written {
				signed[i] = signBookmark(b.secret, w)
			}
			b.Header().Set(BookmarkHeader, strings.Join(signed, ","))
		}
	}
}

func (b *bookmarkWriter) WriteHeader(code int) { b.start(); b.ResponseWriter.WriteHeader(code) }

func (b *bookmarkWriter) Write(p []byte) (int, error) { b.start(); return b.ResponseWriter.Write(p) }

func (b *bookmarkWriter) Unwrap() http.ResponseWriter { return b.ResponseWriter }
