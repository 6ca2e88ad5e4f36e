package coop

import (
	"context"
	"time"
)

// APIKey is a stored API key. The key itself is shown once, when it is
// created; only its hash is stored.
type APIKey struct {
	ID        string // public, short: what revoke takes
	Name      string // who holds it, as the audit trail names them
	Role      Role
	CreatedAt time.Time
	CreatedBy string
	RevokedAt time.Time // zero while the key is valid
}

// Revoked reports whether the key was revoked.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// Keys stores API keys by the hash of their secret.
type Keys interface {
	// CreateKey stores k under hash. A name already held by a valid key is
	// a CONFLICT: the audit trail must name one holder.
	CreateKey(ctx context.Context, k APIKey, hash string) (APIKey, error)
	// KeyByHash finds the key with this hash; false when there is none.
	KeyByHash(ctx context.Context, hash string) (APIKey, bool, error)
	ListKeys(ctx context.Context) ([]APIKey, error)
	// RevokeKey revokes the key with id (or, failing that, the valid key
	// with that name); NOT_FOUND when there is none.
	RevokeKey(ctx context.Context, idOrName string, by Principal) (APIKey, error)
}
