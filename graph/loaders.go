package graph

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"
	"golang.org/x/sync/errgroup"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// loaderWait is how long a loader gathers keys before it queries: long
// enough for sibling resolvers, which gqlgen runs concurrently, to join the
// batch; short next to a query's own time.
const loaderWait = 2 * time.Millisecond

// Loaders batch the database reads of one request, so that nested lists
// cost one query per level, not one per parent. They are made per request
// and never shared: they cache what they load.
type Loaders struct {
	store         coop.Store // for reads ahead of the loaders (lookahead.go)
	entities      *dataloadgen.Loader[string, coop.Entity]
	relationships *dataloadgen.Loader[relationKey, coop.RelationshipPage]
	counts        *dataloadgen.Loader[string, []coop.TypeCount]
	passages      *dataloadgen.Loader[string, coop.Passage]  // by coop.PassageKey
	mentions      *dataloadgen.Loader[string, []coop.Entity] // by coop.PassageKey
	mentionedIn   *dataloadgen.Loader[mentionKey, coop.PassagePage]
}

// mentionKey is one entity's page of the passages that mention it.
type mentionKey struct {
	id, after string
	first     int
}

// relationKey is one entity's page of relationships.
type relationKey struct {
	id     string
	filter filterKey
}

// filterKey is a coop.RelationFilter as a comparable value: equal filters
// share a batch, and a page read ahead (lookahead.go) is found by the
// resolver that asks for it. A Date compares equal to another of the same
// text: ParseDate makes both.
type filterKey struct {
	types     string // the types in order, joined by "," (no type holds one)
	direction coop.Direction
	activeAt  coop.Date
	page      coop.PageArgs
	count     bool
}

// keyOf is f as a key.
func keyOf(f coop.RelationFilter) filterKey {
	types := make([]string, len(f.Types))
	for i, t := range f.Types {
		types[i] = string(t)
	}
	return filterKey{types: strings.Join(types, ","), direction: f.Direction, activeAt: f.ActiveAt, page: f.Page, count: f.Count}
}

// filter is the filter k was made from.
func (k filterKey) filter() coop.RelationFilter {
	f := coop.RelationFilter{Direction: k.direction, ActiveAt: k.activeAt, Page: k.page, Count: k.count}
	if k.types != "" {
		for _, t := range strings.Split(k.types, ",") {
			f.Types = append(f.Types, coop.RelationType(t))
		}
	}
	return f
}

func newLoaders(store coop.Store) *Loaders {
	l := &Loaders{store: store}
	l.entities = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]coop.Entity, error) {
		return store.Entities(ctx, ids)
	}, dataloadgen.WithWait(loaderWait))
	l.relationships = dataloadgen.NewMappedLoader(func(ctx context.Context, keys []relationKey) (map[relationKey]coop.RelationshipPage, error) {
		groups := map[filterKey][]string{}
		for _, k := range keys {
			groups[k.filter] = append(groups[k.filter], k.id)
		}
		// One query per distinct filter, run side by side: sibling fields with
		// different arguments (participants and heldAt, say) cost one round
		// trip of latency, not one each.
		out := make(map[relationKey]coop.RelationshipPage, len(keys))
		var mu sync.Mutex
		g, gctx := errgroup.WithContext(ctx)
		for fk, ids := range groups {
			g.Go(func() error {
				pages, err := store.Relationships(gctx, ids, fk.filter())
				if err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				for id, p := range pages {
					out[relationKey{id: id, filter: fk}] = p
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		return out, nil
	}, dataloadgen.WithWait(loaderWait))
	l.counts = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string][]coop.TypeCount, error) {
		return store.RelationshipCounts(ctx, ids)
	}, dataloadgen.WithWait(loaderWait))
	l.passages = dataloadgen.NewMappedLoader(store.Passages, dataloadgen.WithWait(loaderWait))
	l.mentions = dataloadgen.NewMappedLoader(store.MentionedBy, dataloadgen.WithWait(loaderWait))
	l.mentionedIn = dataloadgen.NewMappedLoader(func(ctx context.Context, keys []mentionKey) (map[mentionKey]coop.PassagePage, error) {
		// Siblings page alike (the same after and first): one query for each
		// page shape, usually one in all.
		groups := map[mentionKey][]string{}
		for _, k := range keys {
			shape := mentionKey{after: k.after, first: k.first}
			groups[shape] = append(groups[shape], k.id)
		}
		out := make(map[mentionKey]coop.PassagePage, len(keys))
		for shape, ids := range groups {
			pages, err := store.PassagesMentioning(ctx, coop.MentionQuery{IDs: ids, After: shape.after, First: shape.first})
			if err != nil {
				return nil, err
			}
			for id, p := range pages {
				out[mentionKey{id: id, after: shape.after, first: shape.first}] = p
			}
		}
		return out, nil
	}, dataloadgen.WithWait(loaderWait))
	return l
}

type loadersKey struct{}

// WithLoaders returns ctx carrying fresh loaders over store.
func WithLoaders(ctx context.Context, store coop.Store) context.Context {
	return context.WithValue(ctx, loadersKey{}, newLoaders(store))
}

func loadersFrom(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	if l == nil {
		panic("graph: no loaders in context; build the handler with NewHandler")
	}
	return l
}

// entity loads one entity; an unknown id gives nil and no error. A root
// field that asks for the entity's relationships reads them with it, and a
// root field alone in its operation has no siblings to wait for.
func entity(ctx context.Context, id string) (coop.Entity, error) {
	if id == "" {
		return nil, nil // no country, say: nothing to read
	}
	if e, ok, err := rootEntity(ctx, id); ok {
		return e, err
	}
	e, err := loadersFrom(ctx).entities.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return e, err
}

// passage loads one passage of a source; nil when there is none.
func passage(ctx context.Context, sourceID, locator string) (*coop.Passage, error) {
	p, err := loadersFrom(ctx).passages.Load(ctx, coop.PassageKey(sourceID, locator))
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// relationshipCounts loads an entity's relationship counts by type.
func relationshipCounts(ctx context.Context, id string) ([]*coop.TypeCount, error) {
	counts, err := loadersFrom(ctx).counts.Load(ctx, id)
	if err != nil && !errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, err
	}
	return pointersTo(counts), nil
}

// relationships loads one page of an entity's relationships.
func relationships(ctx context.Context, id string, f coop.RelationFilter) (coop.RelationshipPage, error) {
	return loadersFrom(ctx).relationships.Load(ctx, relationKey{id: id, filter: keyOf(f)})
}
