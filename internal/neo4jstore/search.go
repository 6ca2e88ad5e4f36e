package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

const fulltextNames = "entity_names"

// cypherSearch asks the full-text index for more candidates than wanted,
// so that the type and kind filters still leave enough and the ranking
// (coop.RankHits: how names match, then ties) has the best among them.
//
// It asks twice at most, in one statement: first for entities matching
// every word whole or as a prefix ($every), which a large graph answers
// from the intersection of few postings without expanding typos over its
// whole vocabulary; then, only when that leaves fewer than $first, for
// entities matching any word, within one typo too ($any). Typo and
// some-word matches rank below the others anyway, so the second query can
// only add hits below those of the first.
var cypherSearch = `CALL () {
  CALL db.index.fulltext.queryNodes('` + fulltextNames + `', $every, {limit: $scan}) YIELD node, score
  WHERE ` + searchFilter + `
  RETURN collect([node, score]) AS strict
}
CALL (strict) {
  WITH strict WHERE size(strict) < $first
  CALL db.index.fulltext.queryNodes('` + fulltextNames + `', $any, {limit: $scan}) YIELD node, score
  WHERE ` + searchFilter + `
  RETURN collect([node, score]) AS loose
  UNION
  WITH strict WHERE size(strict) >= $first
  RETURN [] AS loose
}
UNWIND strict + loose AS hit
WITH hit[0] AS node, hit[1] AS score
RETURN node, score, ` + tieDegree("node") + ` AS ties`

const searchFilter = `($labels IS NULL AND $actorKinds IS NULL)
     OR ($labels IS NOT NULL AND any(l IN labels(node) WHERE l IN $labels))
     OR ($actorKinds IS NOT NULL AND node:Actor AND node.kind IN $actorKinds)`

// luceneQuery builds a full-text query from user text. The text is never
// parsed as Lucene syntax: it is cut into words of letters and digits only,
// each escaped anyway. A word matches exactly or as a prefix; with every,
// every word must match; without, any may, and within one edit too (words
// of five letters or more, numbers excepted: a number is an identifier,
// and would match its many neighbours). Entities matching more of the
// words rank higher.
//
// The index drops English stop words ("of", "the"): requiring one would
// require some other word that starts with it, so every leaves them out.
func luceneQuery(tokens []string, every bool) string {
	var parts []string
	for _, t := range tokens {
		if every && indexStopWords[t] {
			continue
		}
		alt := escapeLucene(t) + "^3 OR " + escapeLucene(t) + "*"
		if !every && coop.TypoMatchable(t) {
			alt += " OR " + escapeLucene(t) + "~1"
		}
		if every {
			parts = append(parts, "+("+alt+")")
		} else {
			parts = append(parts, "("+alt+")")
		}
	}
	if len(parts) == 0 { // stop words only: the loose query is all there is
		return luceneQuery(tokens, false)
	}
	return strings.Join(parts, " ")
}

// indexStopWords are the words the index's analyzer (standard-folding)
// drops, as db.index.fulltext.listAvailableAnalyzers lists them.
var indexStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with") {
		m[w] = true
	}
	return m
}()

func escapeLucene(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	// Lone operator words would be read as operators.
	switch b.String() {
	case "and", "or", "not", "to":
		return `\` + b.String()
	}
	return b.String()
}

// SearchStatement is the query Search sends.
func SearchStatement(q coop.SearchQuery) (Statement, []string, error) {
	tokens := coop.SearchWords(q.Text)
	if len(tokens) == 0 {
		return Statement{}, nil, coop.Invalidf("text", "must contain at least one letter or digit")
	}
	if len(tokens) > 20 {
		return Statement{}, nil, coop.Invalidf("text", "has more than 20 words")
	}
	params := map[string]any{"every": luceneQuery(tokens, true), "any": luceneQuery(tokens, false), "first": int64(q.First), "scan": int64(q.First*3 + 20),
		"labels": nil, "actorKinds": nil}
	if len(q.Types) > 0 {
		labels := make([]string, 0, len(q.Types))
		for _, t := range q.Types {
			if l, ok := entityLabel(t); ok {
				labels = append(labels, l)
			}
		}
		params["labels"] = labels
	}
	if len(q.ActorKinds) > 0 {
		params["actorKinds"] = kindList(q.ActorKinds)
	}
	return Statement{Cypher: cypherSearch, Params: params}, tokens, nil
}

// Search implements coop.Analyst.
func (s *Store) Search(ctx context.Context, q coop.SearchQuery) ([]coop.SearchHit, error) {
	st, tokens, err := SearchStatement(q)
	if err != nil {
		return nil, err
	}
	recs, err := s.read(ctx, st.Cypher, st.Params)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Search: %w", err)
	}
	hits := make([]coop.SearchHit, 0, len(recs))
	seen := make(map[string]bool, len(recs))
	for _, rec := range recs {
		e, err := entityFromNode(rec.Values[0].(neo4j.Node))
		if err != nil {
			return nil, fmt.Errorf("neo4jstore.Search: %w", err)
		}
		if seen[e.EntityID()] {
			continue // found by both queries: the first, strict one scored it
		}
		seen[e.EntityID()] = true
		score, _ := rec.Values[1].(float64)
		ties, _ := rec.Values[2].(int64)
		match, matched, extra := coop.MatchNames(e.EntityBase(), tokens)
		hits = append(hits, coop.SearchHit{Entity: e, Match: match, Matched: matched, Extra: extra, Ties: int(ties), Score: score})
	}
	coop.RankHits(hits)
	return hits[:min(len(hits), q.First)], nil
}

func kindList[K ~string](ks []K) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}
