package graph

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// maxMentioning bounds the entities a passage query may name.
const maxMentioning = 10

// passageConnection pages a source's passages in order; the cursor is
// coop.PassageOrderCursor.
func (r *Resolver) passageConnection(ctx context.Context, sourceID string, first *int, after *string) (*model.PassageConnection, error) {
	n, err := coop.PageSize.Take("first", first)
	if err != nil {
		return nil, err
	}
	from, err := cursorArg("after", after, coop.ParsePassageOrderCursor)
	if err != nil {
		return nil, err
	}
	page := coop.PassagePage{}
	if n > 0 {
		if page, err = r.Store.PassagesOf(ctx, sourceID, from, n); err != nil {
			return nil, err
		}
	}
	return passagePage(page, coop.PassageOrderCursor), nil
}

// sourcePassage is a source's passage by locator; a source merged into
// another is looked up as the one it became.
func (r *Resolver) sourcePassage(ctx context.Context, sourceID, locator string) (*coop.Passage, error) {
	p, err := passage(ctx, sourceID, locator)
	if p != nil || err != nil {
		return p, err
	}
	found, err := r.Store.Entities(ctx, []string{sourceID})
	if e, ok := found[sourceID]; ok && err == nil && e.EntityID() != sourceID {
		return passage(ctx, e.EntityID(), locator)
	}
	return nil, err
}

// passagePage turns a page of passages into a connection, each cursor the
// base64 of cursor(passage).
func passagePage(page coop.PassagePage, cursor func(coop.Passage) string) *model.PassageConnection {
	c := &model.PassageConnection{Edges: []*model.PassageEdge{}, Nodes: []coop.Passage{}, PageInfo: &model.PageInfo{HasNextPage: page.HasNextPage}}
	for _, p := range page.Passages {
		last := encodeCursor(cursor(p))
		c.Edges = append(c.Edges, &model.PassageEdge{Cursor: last, Node: p})
		c.Nodes = append(c.Nodes, p)
		c.PageInfo.EndCursor = &last
	}
	return c
}

// mentionPageArgs checks first and decodes after for pages of passages by
// source and order.
func mentionPageArgs(first *int, after *string) (n int, from string, err error) {
	if n, err = coop.PageSize.Take("first", first); err != nil {
		return 0, "", err
	}
	if from, err = cursorArg("after", after, textKey(coop.ValidPassageCursor)); err != nil {
		return 0, "", err
	}
	return n, from, nil
}

// mentionedIn pages the passages that mention an entity.
func mentionedIn(ctx context.Context, id string, first *int, after *string) (*model.PassageConnection, error) {
	n, from, err := mentionPageArgs(first, after)
	if err != nil {
		return nil, err
	}
	page := coop.PassagePage{}
	if n > 0 {
		page, err = loadersFrom(ctx).mentionedIn.Load(ctx, mentionKey{id: id, after: from, first: n})
		if err != nil && !errors.Is(err, dataloadgen.ErrNotFound) {
			return nil, err
		}
	}
	return passagePage(page, coop.PassageCursor), nil
}

// passagesMentioning pages the passages that mention every one of ids.
func (r *Resolver) passagesMentioning(ctx context.Context, ids []string, first *int, after *string) (*model.PassageConnection, error) {
	n, from, err := mentionPageArgs(first, after)
	if err != nil {
		return nil, err
	}
	current, err := r.currentIDs(ctx, "mentioning", ids)
	if err != nil {
		return nil, err
	}
	if len(current) == 0 {
		return nil, coop.Invalidf("mentioning", "must name at least one entity")
	}
	page := coop.PassagePage{}
	if n > 0 {
		pages, err := r.Store.PassagesMentioning(ctx, coop.MentionQuery{IDs: current[:1], Also: current[1:], After: from, First: n})
		if err != nil {
			return nil, err
		}
		page = pages[current[0]]
	}
	return passagePage(page, coop.PassageCursor), nil
}

// currentIDs checks a list of entity ids (1 to maxMentioning) and returns
// the ids of the entities they name now, merges followed; ids that name
// none are NOT_FOUND.
func (r *Resolver) currentIDs(ctx context.Context, field string, ids []string) ([]string, error) {
	ids, err := idsArg(field, ids, maxMentioning)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	found, err := r.Store.Entities(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out, unknown []string
	seen := map[string]bool{}
	for _, id := range ids {
		e, ok := found[id]
		switch {
		case !ok:
			unknown = append(unknown, id)
		case !seen[e.EntityID()]:
			seen[e.EntityID()] = true
			out = append(out, e.EntityID())
		}
	}
	if len(unknown) > 0 {
		return nil, coop.UnknownIDs(field, unknown)
	}
	return out, nil
}

func (r *Resolver) searchPassages(ctx context.Context, text string, source *string, mentioning []string, first *int) ([]*coop.PassageHit, error) {
	n, err := coop.SearchResults.Take("first", first)
	if err != nil {
		return nil, err
	}
	if err := textArg("text", text); err != nil {
		return nil, err
	}
	q := coop.PassageSearch{Text: text, Source: deref(source), First: n}
	if q.Mentioning, err = r.currentIDs(ctx, "mentioning", mentioning); err != nil {
		return nil, err
	}
	if q.Source != "" && !coop.ValidID(q.Source) {
		return nil, coop.Invalidf("source", "is not an id")
	}
	if n == 0 {
		return []*coop.PassageHit{}, nil
	}
	hits, err := r.Store.SearchPassages(ctx, q)
	if err != nil {
		return nil, err
	}
	return pointersTo(hits), nil
}

// mentions loads the entities a passage mentions.
func mentions(ctx context.Context, key string) ([]coop.Entity, error) {
	es, err := loadersFrom(ctx).mentions.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return []coop.Entity{}, nil
	}
	return es, err
}
