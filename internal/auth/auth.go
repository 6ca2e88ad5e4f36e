// Package auth says who makes a request: an API key (stored as a hash) or a
// bearer JWT (HS256 with a shared secret, or RS256 with a public key), each
// carrying a role. It issues keys, authenticates requests, and answers
// whether a principal may do something.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/ratelimit"
)

// KeyPrefix starts every API key, so that keys are easy to recognise (and
// to find in a leaked file) and never mistaken for a JWT.
const KeyPrefix = "cgk_"

// Config says which credentials are accepted.
type Config struct {
	// ReadNeedsCredential refuses anonymous requests, reads included.
	ReadNeedsCredential bool
	// HS256Secret verifies HS256 tokens; nil: none are accepted.
	HS256Secret []byte
	// RS256Key verifies RS256 tokens; nil: none are accepted.
	RS256Key *rsa.PublicKey
	// Issuer and Audience, when set, must match the token's iss and aud.
	Issuer, Audience string
	// RoleClaim names the claim holding the role (a string, or a list of
	// strings of which the strongest counts); "role" when empty.
	RoleClaim string
	// MaxLifetime, when set, refuses tokens that stay valid longer than
	// this from now (a token valid until 9999 is a password, not a token).
	MaxLifetime time.Duration
	// RateLimit bounds how fast each verified principal (an API key's
	// holder, a token's subject) may send requests, from any address.
	RateLimit ratelimit.Config
}

// Authenticator checks credentials.
type Authenticator struct {
	cfg     Config
	keys    coop.Keys
	limiter *ratelimit.Limiter
}

// New returns an Authenticator that looks API keys up in keys.
func New(cfg Config, keys coop.Keys) *Authenticator {
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "role"
	}
	return &Authenticator{cfg: cfg, keys: keys, limiter: ratelimit.New(cfg.RateLimit)}
}

// ErrInvalid is returned for a credential that is not valid: unknown,
// revoked, malformed, expired or wrongly signed. Its message is safe to
// show and never quotes the credential.
type ErrInvalid struct{ Reason string }

func (e *ErrInvalid) Error() string { return "the credential is not valid: " + e.Reason }

// Authenticate checks one credential (an API key or a JWT, without the
// "Bearer " prefix). Errors other than *ErrInvalid mean the check could not
// be made (the database is down, say).
func (a *Authenticator) Authenticate(ctx context.Context, credential string) (coop.Principal, error) {
	if strings.HasPrefix(credential, KeyPrefix) {
		return a.key(ctx, credential)
	}
	if strings.Count(credential, ".") == 2 {
		return a.token(credential)
	}
	return coop.Principal{}, &ErrInvalid{Reason: "neither an API key nor a JWT"}
}

func (a *Authenticator) key(ctx context.Context, secret string) (coop.Principal, error) {
	k, ok, err := a.keys.KeyByHash(ctx, Hash(secret))
	if err != nil {
		return coop.Principal{}, err
	}
	if !ok {
		return coop.Principal{}, &ErrInvalid{Reason: "unknown API key"}
	}
	if k.Revoked() {
		return coop.Principal{}, &ErrInvalid{Reason: "the API key was revoked"}
	}
	return coop.Principal{Name: k.Name, Role: k.Role, Via: "key"}, nil
}

func (a *Authenticator) token(raw string) (coop.Principal, error) {
	var methods []string
	if a.cfg.HS256Secret != nil {
		methods = append(methods, "HS256")
	}
	if a.cfg.RS256Key != nil {
		methods = append(methods, "RS256")
	}
	if len(methods) == 0 {
		return coop.Principal{}, &ErrInvalid{Reason: "this server accepts no JWTs"}
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods(methods), jwt.WithExpirationRequired(), jwt.WithLeeway(30 * time.Second)}
	if a.cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(a.cfg.Issuer))
	}
	if a.cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(a.cfg.Audience))
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		// Each key only for its own algorithm, and only when configured: an
		// HS256 token must never be checked against an unset (empty) secret.
		switch alg := t.Method.Alg(); {
		case alg == "HS256" && a.cfg.HS256Secret != nil:
			return a.cfg.HS256Secret, nil
		case alg == "RS256" && a.cfg.RS256Key != nil:
			return a.cfg.RS256Key, nil
		}
		return nil, errors.New("unexpected signing method")
	}, opts...)
	if err != nil {
		return coop.Principal{}, &ErrInvalid{Reason: tokenProblem(err)}
	}
	if a.cfg.MaxLifetime > 0 {
		if exp, err := claims.GetExpirationTime(); err == nil && exp != nil && time.Until(exp.Time) > a.cfg.MaxLifetime {
			return coop.Principal{}, &ErrInvalid{Reason: fmt.Sprintf("the token stays valid for longer than %s: ask for a shorter-lived one", a.cfg.MaxLifetime)}
		}
	}
	sub, _ := claims.GetSubject()
	if _, unsafe := coop.UnsafeRune(sub); sub == "" || unsafe || !utf8.ValidString(sub) || len(sub) > 200 {
		return coop.Principal{}, &ErrInvalid{Reason: "the token has no usable subject (sub)"}
	}
	role := strongestRole(claims[a.cfg.RoleClaim])
	if role == "" {
		return coop.Principal{}, &ErrInvalid{Reason: fmt.Sprintf("the token's %q claim names no role (reader, editor or admin)", a.cfg.RoleClaim)}
	}
	return coop.Principal{Name: sub, Role: role, Via: "jwt"}, nil
}

// tokenProblem says what was wrong with a token in words safe to show.
func tokenProblem(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "the token has expired"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		for _, claim := range []string{"aud", "iss", "exp"} {
			if strings.Contains(err.Error(), claim+" claim") {
				return "the token lacks a required claim (" + claim + ")"
			}
		}
		return "the token lacks a required claim"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "the token is not valid yet"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "the token's issuer is not accepted"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "the token's audience is not accepted"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "the token's signature does not verify"
	}
	return "the token is malformed"
}

func strongestRole(v any) coop.Role {
	var names []string
	switch x := v.(type) {
	case string:
		names = []string{x}
	case []any:
		for _, y := range x {
			if s, ok := y.(string); ok {
				names = append(names, s)
			}
		}
	}
	var best coop.Role
	for _, n := range names {
		r := coop.Role(strings.ToLower(n))
		if r.Valid() && (best == "" || r.Allows(best)) {
			best = r
		}
	}
	return best
}

// Hash is what is stored of an API key: its SHA-256, in hex. Keys are 256
// random bits, so a fast hash is enough: there is nothing to guess.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// IssueKey creates an API key for name with role, stores its hash and
// returns the secret, which is shown this once and never again.
func IssueKey(ctx context.Context, keys coop.Keys, name string, role coop.Role, by coop.Principal) (string, coop.APIKey, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "" || utf8.RuneCountInString(name) > 100:
		return "", coop.APIKey{}, coop.Invalidf("name", "give the key's holder a name of 1 to 100 characters")
	case strings.Contains(name, ":"):
		return "", coop.APIKey{}, coop.Invalidf("name", "a key name may not contain colons")
	case coop.CheckText("name", name) != nil:
		return "", coop.APIKey{}, coop.CheckText("name", name)
	case !role.Valid():
		return "", coop.APIKey{}, coop.Invalidf("role", "%q is not a role: use reader, editor or admin", role)
	}
	var id [6]byte
	var secret [32]byte
	rand.Read(id[:])
	rand.Read(secret[:])
	key := KeyPrefix + base64.RawURLEncoding.EncodeToString(secret[:])
	stored, err := keys.CreateKey(ctx, coop.APIKey{ID: hex.EncodeToString(id[:]), Name: name, Role: role, CreatedBy: by.Who()}, Hash(key))
	if err != nil {
		return "", coop.APIKey{}, err
	}
	return key, stored, nil
}

type ctxKey struct{}

// With returns ctx carrying the principal of its request.
func With(ctx context.Context, p coop.Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal of ctx's request; the zero Principal (no
// role) when it came without a credential.
func From(ctx context.Context) coop.Principal {
	p, _ := ctx.Value(ctxKey{}).(coop.Principal)
	return p
}

// Require refuses with UNAUTHENTICATED when ctx's request carries no
// credential, and FORBIDDEN when its role is weaker than need.
func Require(ctx context.Context, need coop.Role) error {
	p := From(ctx)
	if p.Role == "" {
		return &coop.Error{Code: coop.CodeUnauthenticated,
			Message: fmt.Sprintf("this needs a credential with the %s role: send an API key or a JWT as \"Authorization: Bearer ...\"", need)}
	}
	if !p.Role.Allows(need) {
		return &coop.Error{Code: coop.CodeForbidden,
			Message: fmt.Sprintf("this needs the %s role; %s has the %s role", need, p.Who(), p.Role)}
	}
	return nil
}
