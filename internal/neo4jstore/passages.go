package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// A source's passages are :Passage nodes, keyed by coop.PassageKey (source
// id and locator), holding the source id, so that no relationship joins
// them to the graph's entities: traversals never step onto them.
const (
	cypherMergePassages = `UNWIND $rows AS row
MERGE (p:Passage {key: row.key})
WITH p, row, properties(p) AS old
SET p = row
RETURN count(CASE WHEN old <> properties(p) THEN 1 END)`
	// A source whose passages an input gives loses those it gave before.
	cypherDropOtherPassages = `UNWIND $sources AS s
MATCH (p:Passage {source: s.id}) WHERE NOT p.locator IN s.locators
DETACH DELETE p`
	cypherPassagesByKey = `UNWIND $keys AS k MATCH (p:Passage {key: k}) RETURN p`
	cypherPassagesOf    = `MATCH (p:Passage {source: $source}) WHERE p.order > $after
RETURN p ORDER BY p.order LIMIT $limit`
	cypherLocatorsOf = `UNWIND $sources AS s MATCH (p:Passage {source: s}) RETURN s, collect(p.locator)`
	// Source by source, each in order: as an import gives them.
	// (Two seeks on the passage_source index, not one scan of every passage.)
	cypherAllPassages = `CALL () {
  MATCH (p:Passage) WHERE p.source = $source AND p.order > $order RETURN p ORDER BY p.order LIMIT $n
  UNION
  MATCH (p:Passage) WHERE p.source > $source RETURN p ORDER BY p.source, p.order LIMIT $n
}
RETURN p ORDER BY p.source, p.order LIMIT $n`
)

func passageProps(p coop.Passage) map[string]any {
	return map[string]any{"key": p.Key(), "source": p.SourceID, "locator": p.Locator, "order": int64(p.Order),
		"kind": string(p.Kind), "heading": p.Heading, "text": p.Text, "words": passageWords(p.Text)}
}

// passageWords is what the full-text index reads of a passage: its words
// as coop.SearchWords cuts them (the analyzer would keep "Ecuador's" one
// word, where names and searches see "ecuador" and "s").
func passageWords(text string) string { return strings.Join(coop.SearchWords(text), " ") }

func passageFromNode(n neo4j.Node) coop.Passage {
	p := props(n.Props)
	order, _ := p["order"].(int64)
	heading, _ := p["heading"].(bool)
	return coop.Passage{SourceID: p.str("source"), Locator: p.str("locator"), Order: int(order),
		Kind: coop.PassageKind(p.str("kind")), Heading: heading, Text: p.str("text")}
}

// writePassages merges passages by key, and drops the other passages of
// each source they belong to: an input gives a source's passages whole.
// With addOnly (the seed), a source that has passages keeps them: those a
// deployment loaded from the document itself are never replaced by the
// seed's summaries.
func writePassages(ctx context.Context, tx neo4j.ManagedTransaction, ps []coop.Passage, addOnly bool) (int64, error) {
	if addOnly && len(ps) > 0 {
		sources := map[string]bool{}
		for _, p := range ps {
			sources[p.SourceID] = true
		}
		ids := make([]string, 0, len(sources))
		for s := range sources {
			ids = append(ids, s)
		}
		recs, err := collect(ctx, tx, cypherLocatorsOf, map[string]any{"sources": ids})
		if err != nil {
			return 0, err
		}
		has := locatorMap(recs)
		ps = slices.DeleteFunc(slices.Clone(ps), func(p coop.Passage) bool { return len(has[p.SourceID]) > 0 })
	}
	if len(ps) == 0 {
		return 0, nil
	}
	rows := make([]map[string]any, len(ps))
	bySource := map[string][]string{}
	var order []string
	for i, p := range ps {
		rows[i] = passageProps(p)
		if bySource[p.SourceID] == nil {
			order = append(order, p.SourceID)
		}
		bySource[p.SourceID] = append(bySource[p.SourceID], p.Locator)
	}
	sources := make([]map[string]any, len(order))
	for i, s := range order {
		sources[i] = map[string]any{"id": s, "locators": bySource[s]}
	}
	// Curators' writes lock the sources they cite before they read their
	// passages: locking them here too, then checking what every stored
	// fact cites, no write can come to cite a passage this drops. (The
	// importer writes passages after the records it gives anew, so those
	// are checked as given.)
	if err := run(ctx, tx, cypherLockMany, map[string]any{"ids": order}); err != nil {
		return 0, err
	}
	cited, err := collect(ctx, tx, cypherCitedLocators, map[string]any{"sources": order})
	if err != nil {
		return 0, err
	}
	for _, rec := range cited {
		src, loc := rec.Values[0].(string), rec.Values[1].(string)
		if !slices.Contains(bySource[src], loc) {
			facts := strs(rec.Values[2])
			slices.Sort(facts)
			return 0, coop.Conflictf("passages", "the passages given for %q leave out %q, which %s cites", src, loc, facts[0])
		}
	}
	if err := run(ctx, tx, cypherDropOtherPassages, map[string]any{"sources": sources}); err != nil {
		return 0, err
	}
	n, err := runBatches(ctx, tx, cypherMergePassages, rows, nil)
	if err == nil {
		err = linkPassageMentions(ctx, tx, ps)
	}
	return n, err
}

// Passages returns the passages with the given keys (coop.PassageKey);
// unknown keys are absent.
func (s *Store) Passages(ctx context.Context, keys []string) (map[string]coop.Passage, error) {
	out := make(map[string]coop.Passage, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, cypherPassagesByKey, map[string]any{"keys": keys})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Passages: %w", err)
	}
	for _, rec := range recs {
		p := passageFromNode(rec.Values[0].(neo4j.Node))
		out[p.Key()] = p
	}
	return out, nil
}

// PassagesOf returns one page of a source's passages in order: first after
// the passage at order after.
func (s *Store) PassagesOf(ctx context.Context, sourceID string, after, first int) (coop.PassagePage, error) {
	recs, err := s.read(ctx, cypherPassagesOf, map[string]any{"source": sourceID, "after": int64(after), "limit": int64(first + 1)})
	if err != nil {
		return coop.PassagePage{}, fmt.Errorf("neo4jstore.PassagesOf: %w", err)
	}
	var page coop.PassagePage
	for i, rec := range recs {
		if i == first {
			page.HasNextPage = true
			break
		}
		page.Passages = append(page.Passages, passageFromNode(rec.Values[0].(neo4j.Node)))
	}
	return page, nil
}

// Locators returns the locators of the passages of each source given that
// has passages.
func (s *Store) Locators(ctx context.Context, sources []string) (map[string][]string, error) {
	recs, err := s.read(ctx, cypherLocatorsOf, map[string]any{"sources": sources})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Locators: %w", err)
	}
	return locatorMap(recs), nil
}

// cypherCitedLocators finds, for each source, the locators its facts cite
// and which facts cite each. Country ties cite what their entities cite:
// the entity stands for them. (Citations are lists, which no index serves:
// this reads every fact once.)
var cypherCitedLocators = `CALL () {
  MATCH (n:Entity) WHERE any(x IN n.citeSources WHERE x IN $sources)
  UNWIND range(0, size(n.citeSources) - 1) AS i
  WITH n, i WHERE n.citeSources[i] IN $sources
  RETURN n.citeSources[i] AS s, n.citeLocators[i] AS locator, n.id AS fact
  UNION
  MATCH ()-[r` + allTies + `]->() WHERE any(x IN r.citeSources WHERE x IN $sources) AND NOT r:` + string(coop.RelInCountry) + `
  UNWIND range(0, size(r.citeSources) - 1) AS i
  WITH r, i WHERE r.citeSources[i] IN $sources
  RETURN r.citeSources[i] AS s, r.citeLocators[i] AS locator, r.id AS fact
}
RETURN s, locator, collect(fact)`

// CitedLocators returns, for each source given, the locators its facts
// cite and the ids of the facts citing each.
func (s *Store) CitedLocators(ctx context.Context, sources []string) (map[string]map[string][]string, error) {
	recs, err := s.read(ctx, cypherCitedLocators, map[string]any{"sources": sources})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.CitedLocators: %w", err)
	}
	out := map[string]map[string][]string{}
	for _, rec := range recs {
		src, loc := rec.Values[0].(string), rec.Values[1].(string)
		if out[src] == nil {
			out[src] = map[string][]string{}
		}
		facts := strs(rec.Values[2])
		slices.Sort(facts)
		out[src][loc] = facts
	}
	return out, nil
}

func locatorMap(recs []*neo4j.Record) map[string][]string {
	out := map[string][]string{}
	for _, rec := range recs {
		out[rec.Values[0].(string)] = strs(rec.Values[1])
	}
	return out
}

// EachPassage calls f with every passage, source by source and in order,
// batch at a time.
func (s *Store) EachPassage(ctx context.Context, batch int, f func([]coop.Passage) error) error {
	source, order := "", int64(0)
	for {
		recs, err := s.read(ctx, cypherAllPassages, map[string]any{"source": source, "order": order, "n": int64(batch)})
		if err != nil {
			return fmt.Errorf("neo4jstore.EachPassage: %w", err)
		}
		if len(recs) == 0 {
			return nil
		}
		ps := make([]coop.Passage, len(recs))
		for i, rec := range recs {
			ps[i] = passageFromNode(rec.Values[0].(neo4j.Node))
		}
		if err := f(ps); err != nil {
			return err
		}
		last := ps[len(ps)-1]
		source, order = last.SourceID, int64(last.Order)
	}
}
