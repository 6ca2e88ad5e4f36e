package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

var _ coop.Keys = (*Store)(nil)

// API keys are :ApiKey nodes, apart from the graph of entities. They hold
// the SHA-256 of the secret, never the secret.
const (
	cypherKeyNameTaken = `MATCH (k:ApiKey {name: $name}) WHERE k.revokedAt IS NULL RETURN k.id LIMIT 1`
	cypherCreateKey    = `CREATE (k:ApiKey {id: $id, name: $name, role: $role, hash: $hash, createdAt: datetime(), createdBy: $by}) RETURN k`
	cypherKeyByHash    = `MATCH (k:ApiKey {hash: $hash}) RETURN k`
	cypherListKeys     = `MATCH (k:ApiKey) RETURN k ORDER BY k.createdAt, k.id`
	cypherRevokeKey    = `MATCH (k:ApiKey) WHERE k.id = $key OR (k.name = $key AND k.revokedAt IS NULL)
WITH k ORDER BY k.id = $key DESC LIMIT 1
SET k.revokedAt = coalesce(k.revokedAt, datetime()), k.revokedBy = coalesce(k.revokedBy, $by)
RETURN k`
)

// CreateKey implements coop.Keys.
func (s *Store) CreateKey(ctx context.Context, k coop.APIKey, hash string) (coop.APIKey, error) {
	var out coop.APIKey
	err := s.write(ctx, s.timeout, func(tx neo4j.ManagedTransaction) error {
		// Keys are created one at a time, so the name check cannot race.
		if err := run(ctx, tx, `MERGE (l:CoopgraphLock {name: 'keys'}) SET l.at = datetime()`, nil); err != nil {
			return err
		}
		if rec, err := one(ctx, tx, cypherKeyNameTaken, map[string]any{"name": k.Name}); err != nil {
			return err
		} else if rec != nil {
			return coop.Conflictf("name", "a valid key named %q exists; revoke it first or choose another name", k.Name)
		}
		rec, err := one(ctx, tx, cypherCreateKey, map[string]any{"id": k.ID, "name": k.Name, "role": string(k.Role), "hash": hash, "by": k.CreatedBy})
		if err != nil {
			return err
		}
		out = keyFromNode(rec.Values[0].(neo4j.Node))
		return nil
	})
	if err != nil {
		return coop.APIKey{}, fmt.Errorf("neo4jstore.CreateKey: %w", err)
	}
	return out, nil
}

// KeyByHash implements coop.Keys.
func (s *Store) KeyByHash(ctx context.Context, hash string) (coop.APIKey, bool, error) {
	recs, err := s.read(ctx, cypherKeyByHash, map[string]any{"hash": hash})
	if err != nil {
		return coop.APIKey{}, false, fmt.Errorf("neo4jstore.KeyByHash: %w", err)
	}
	if len(recs) == 0 {
		return coop.APIKey{}, false, nil
	}
	return keyFromNode(recs[0].Values[0].(neo4j.Node)), true, nil
}

// ListKeys implements coop.Keys.
func (s *Store) ListKeys(ctx context.Context) ([]coop.APIKey, error) {
	recs, err := s.read(ctx, cypherListKeys, nil)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.ListKeys: %w", err)
	}
	out := make([]coop.APIKey, len(recs))
	for i, rec := range recs {
		out[i] = keyFromNode(rec.Values[0].(neo4j.Node))
	}
	return out, nil
}

// RevokeKey implements coop.Keys.
func (s *Store) RevokeKey(ctx context.Context, key string, by coop.Principal) (coop.APIKey, error) {
	var out coop.APIKey
	err := s.write(ctx, s.timeout, func(tx neo4j.ManagedTransaction) error {
		rec, err := one(ctx, tx, cypherRevokeKey, map[string]any{"key": key, "by": by.Who()})
		if err != nil {
			return err
		}
		if rec == nil {
			return coop.NotFoundf("id", "there is no key %q", key)
		}
		out = keyFromNode(rec.Values[0].(neo4j.Node))
		return nil
	})
	if err != nil {
		return coop.APIKey{}, fmt.Errorf("neo4jstore.RevokeKey: %w", err)
	}
	return out, nil
}

func keyFromNode(n neo4j.Node) coop.APIKey {
	p := props(n.Props)
	return coop.APIKey{ID: p.str("id"), Name: p.str("name"), Role: coop.Role(p.str("role")),
		CreatedAt: asTime(p["createdAt"]), CreatedBy: p.str("createdBy"), RevokedAt: asTime(p["revokedAt"])}
}
