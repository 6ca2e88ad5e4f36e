package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/ratelimit"
)

// JWTs need no database: these tests cover token checks only. API keys are
// tested against the real Neo4j (graph and cmd tests).

var secret = []byte("a-test-secret-of-at-least-32-bytes!!")

func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokens(t *testing.T) {
	a := New(Config{HS256Secret: secret, RoleClaim: "roles", Audience: "coopgraph"}, nil)
	exp := time.Now().Add(time.Hour).Unix()
	ok := jwt.MapClaims{"sub": "u1", "aud": "coopgraph", "exp": exp}
	for name, c := range map[string]struct {
		token string
		role  coop.Role // "" when the token must be refused
	}{
		"strongest of a list": {sign(t, jwt.SigningMethodHS256, secret, with(ok, "roles", []any{"reader", "EDITOR"})), coop.RoleEditor},
		"a string":            {sign(t, jwt.SigningMethodHS256, secret, with(ok, "roles", "admin")), coop.RoleAdmin},
		"an unknown role":     {sign(t, jwt.SigningMethodHS256, secret, with(ok, "roles", "root")), ""},
		"no exp":              {sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "u1", "aud": "coopgraph", "roles": "admin"}), ""},
		"another audience":    {sign(t, jwt.SigningMethodHS256, secret, with(with(ok, "roles", "admin"), "aud", "other")), ""},
		"no subject":          {sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"aud": "coopgraph", "exp": exp, "roles": "admin"}), ""},
		"alg none":            {sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, with(ok, "roles", "admin")), ""},
		"HS384":               {sign(t, jwt.SigningMethodHS384, secret, with(ok, "roles", "admin")), ""},
		"wrong secret":        {sign(t, jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-bytes!"), with(ok, "roles", "admin")), ""},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := a.Authenticate(context.Background(), c.token)
			var invalid *ErrInvalid
			switch {
			case c.role == "" && !errors.As(err, &invalid):
				t.Errorf("%s: accepted as %+v (%v)", name, p, err)
			case c.role != "" && (err != nil || p.Role != c.role || p.Name != "u1" || p.Via != "jwt"):
				t.Errorf("%s: %+v, %v; want role %s", name, p, err, c.role)
			}
		})
	}
}

// With only RS256 configured, no HS256 token is accepted, whatever its key:
// in particular not one signed with the empty secret that an unset HS256
// secret would be.
func TestOnlyTheConfiguredAlgorithmIsAccepted(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	a := New(Config{RS256Key: &priv.PublicKey}, nil)
	claims := jwt.MapClaims{"sub": "u1", "role": "admin", "exp": time.Now().Add(time.Hour).Unix()}
	if p, err := a.Authenticate(context.Background(), sign(t, jwt.SigningMethodRS256, priv, claims)); err != nil || p.Role != coop.RoleAdmin {
		t.Fatalf("a good RS256 token: %+v, %v", p, err)
	}
	for name, key := range map[string][]byte{"empty": {}, "nil": nil, "x": []byte("x")} {
		t.Run(name, func(t *testing.T) {
			token := sign(t, jwt.SigningMethodHS256, key, claims)
			if p, err := a.Authenticate(context.Background(), token); !errors.As(err, new(*ErrInvalid)) {
				t.Errorf("an HS256 token signed with the %s key was accepted as %+v (%v)", name, p, err)
			}
		})
	}
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for key, val := range c {
		out[key] = val
	}
	out[k] = v
	return out
}

func TestCredentialAndRequire(t *testing.T) {
	r, _ := http.NewRequest("POST", "/graphql", nil)
	if Credential(r) != "" {
		t.Error("no header gives a credential")
	}
	r.Header.Set("X-API-Key", "cgk_k")
	if Credential(r) != "cgk_k" {
		t.Errorf("X-API-Key is read: %q", Credential(r))
	}
	r.Header.Set("Authorization", "bearer  tok ")
	if Credential(r) != "tok" {
		t.Errorf("bearer scheme is case-insensitive: %q", Credential(r))
	}
	r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	if c := Credential(r); c == "" || c == "dXNlcjpwYXNz" {
		t.Errorf("another scheme must be refused, not read: %q", c)
	}
	ctx := context.Background()
	if coop.ErrorCode(Require(ctx, coop.RoleEditor)) != coop.CodeUnauthenticated {
		t.Error("anonymous: want UNAUTHENTICATED")
	}
	reader := With(ctx, coop.Principal{Name: "r", Role: coop.RoleReader, Via: "key"})
	if coop.ErrorCode(Require(reader, coop.RoleEditor)) != coop.CodeForbidden {
		t.Error("reader writing: want FORBIDDEN")
	}
	admin := With(ctx, coop.Principal{Name: "a", Role: coop.RoleAdmin, Via: "key"})
	if Require(admin, coop.RoleEditor) != nil {
		t.Error("an admin may do what an editor may")
	}
}

// A token that stays valid for years is refused when a maximum lifetime is
// set; a missing aud or iss is named; a subject with a line break, which
// would forge a second line of the audit trail, is refused.
func TestTokenLifetimeClaimsAndSubjects(t *testing.T) {
	a := New(Config{HS256Secret: secret, Audience: "coopgraph", Issuer: "idp", MaxLifetime: 24 * time.Hour}, nil)
	exp := time.Now().Add(time.Hour).Unix()
	ok := jwt.MapClaims{"sub": "u1", "aud": "coopgraph", "iss": "idp", "exp": exp, "role": "reader"}
	if _, err := a.Authenticate(context.Background(), sign(t, jwt.SigningMethodHS256, secret, ok)); err != nil {
		t.Fatalf("a good token: %v", err)
	}
	for name, c := range map[string]struct {
		claims jwt.MapClaims
		reason string
	}{
		"valid until 9999": {with(ok, "exp", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC).Unix()), "longer than 24h0m0s"},
		"no aud":           {without(ok, "aud"), "(aud)"},
		"no iss":           {without(ok, "iss"), "(iss)"},
		"a line break":     {with(ok, "sub", "u1\nkey:admin"), "subject"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := a.Authenticate(context.Background(), sign(t, jwt.SigningMethodHS256, secret, c.claims))
			var invalid *ErrInvalid
			if !errors.As(err, &invalid) || !strings.Contains(invalid.Reason, c.reason) {
				t.Errorf("%s: %v; want a refusal saying %q", name, err, c.reason)
			}
		})
	}
}

func without(c jwt.MapClaims, k string) jwt.MapClaims {
	out := jwt.MapClaims{}
	for key, v := range c {
		if key != k {
			out[key] = v
		}
	}
	return out
}

// A verified principal has a bucket of its own, whatever address it
// calls from: past it, 429 with Retry-After.
func TestEachPrincipalHasARateLimit(t *testing.T) {
	a := New(Config{HS256Secret: secret, Audience: "coopgraph", RateLimit: ratelimit.Config{PerSecond: 0.5, Burst: 2}}, nil)
	token := func(sub string) string {
		return sign(t, jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": sub, "aud": "coopgraph", "role": "reader", "exp": time.Now().Add(time.Hour).Unix()})
	}
	h := a.Middleware(slog.New(slog.NewTextHandler(io.Discard, nil)), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	call := func(tok, addr string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/graphql", nil)
		r.RemoteAddr = addr
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	alice, bob := token("alice"), token("bob")
	for i, addr := range []string{"192.0.2.1:1", "198.51.100.7:2"} {
		if w := call(alice, addr); w.Code != 200 {
			t.Fatalf("request %d within alice's burst: %d", i, w.Code)
		}
	}
	if w := call(alice, "203.0.113.9:3"); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" || !strings.Contains(w.Body.String(), "RATE_LIMITED") {
		t.Errorf("alice past her burst, from a third address: %d %q %s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	if w := call(bob, "192.0.2.1:1"); w.Code != 200 {
		t.Errorf("bob was limited by alice's use: %d", w.Code)
	}
}
