package main

import (
	"crypto/rsa"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/ratelimit"
)

// authFlags are serve's settings for who may read and write.
type authFlags struct {
	readAccess  string
	rsaKeyFile  string
	issuer      string
	audience    string
	roleClaim   string
	maxLifetime time.Duration
	rate        ratelimit.Config
	hs256Secret string // from the environment only: flags show in process lists
}

// register adds the flags; serve gives them the environment's values.
func (a *authFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&a.readAccess, "read-access", "open",
		"open: anyone may read, a credential is needed to write; credential: every request needs one (env COOPGRAPH_READ_ACCESS)")
	fs.StringVar(&a.rsaKeyFile, "jwt-rs256-public-key", "",
		"PEM file of the RSA public key that verifies RS256 JWTs (env COOPGRAPH_JWT_RS256_PUBLIC_KEY_FILE)")
	fs.StringVar(&a.issuer, "jwt-issuer", "", "when set, JWTs must carry this iss (env COOPGRAPH_JWT_ISSUER)")
	fs.StringVar(&a.audience, "jwt-audience", "", "when set, JWTs must carry this aud (env COOPGRAPH_JWT_AUDIENCE)")
	fs.StringVar(&a.roleClaim, "jwt-role-claim", "role", "the JWT claim holding the role (env COOPGRAPH_JWT_ROLE_CLAIM)")
	fs.DurationVar(&a.maxLifetime, "jwt-max-lifetime", 0,
		"when set, JWTs valid for longer than this from now are refused, e.g. 24h (env COOPGRAPH_JWT_MAX_LIFETIME)")
	fs.Float64Var(&a.rate.PerSecond, "credential-rate-limit", ratelimit.Default.PerSecond,
		"requests per second each API key holder or token subject may send, from any address; 0: no limit (env COOPGRAPH_CREDENTIAL_RATE_LIMIT)")
	a.rate.Burst = ratelimit.Default.Burst
	a.hs256Secret = getenv("COOPGRAPH_JWT_HS256_SECRET")
}

// config checks the settings and reads the RSA key.
func (a *authFlags) config() (auth.Config, error) {
	var cfg auth.Config
	switch a.readAccess {
	case "open":
	case "credential":
		cfg.ReadNeedsCredential = true
	default:
		return cfg, fmt.Errorf("-read-access must be open or credential, not %q", a.readAccess)
	}
	if a.hs256Secret != "" {
		if len(a.hs256Secret) < 32 {
			return cfg, errors.New("COOPGRAPH_JWT_HS256_SECRET must be at least 32 bytes")
		}
		cfg.HS256Secret = []byte(a.hs256Secret)
	}
	if a.rsaKeyFile != "" {
		pem, err := os.ReadFile(a.rsaKeyFile)
		if err != nil {
			return cfg, fmt.Errorf("-jwt-rs256-public-key: %w", err)
		}
		var key *rsa.PublicKey
		if key, err = jwt.ParseRSAPublicKeyFromPEM(pem); err != nil {
			return cfg, fmt.Errorf("-jwt-rs256-public-key %s: %w", a.rsaKeyFile, err)
		}
		cfg.RS256Key = key
	}
	cfg.Issuer, cfg.Audience, cfg.RoleClaim, cfg.MaxLifetime = a.issuer, a.audience, a.roleClaim, a.maxLifetime
	cfg.RateLimit = a.rate
	return cfg, nil
}
