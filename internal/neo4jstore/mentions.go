package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// A passage that mentions an entity (coop.MentionForms) points to it with a
// MENTIONS relationship. Mentions are derived: they are worked out again
// whenever passages are loaded and whenever an entity's names change, and
// nothing else writes them. MENTIONS is not in the allow-list: traversals
// follow the allow-listed types only (allTies), so they never pass
// through a passage.

const fulltextPassages = "passage_words" // on Passage.words (passageWords)

// allTies is every allow-listed relationship type, as a relationship
// pattern's type list (":HOLDS_OFFICE|LEADS|..."): what "any tie" means
// wherever Cypher counts or follows ties.
var allTies = func() string {
	names := make([]string, len(coop.Relations))
	for i, r := range coop.Relations {
		names[i] = string(r.Type)
	}
	return ":" + strings.Join(names, "|")
}()

// tieDegree is the number of ties of the node bound to the variable %s:
// its degree less its MENTIONS, the only relationships that are not ties.
// Neo4j reads both from the node's degrees (a dense node's without a walk),
// where a count over allTies' thirty-odd types tests every relationship
// against each: paths (3 to 5 hops) took 42 ms at 100k nodes and 173 ms at
// 1M that way, 15 and 66 ms this way.
func tieDegree(v string) string {
	return fmt.Sprintf("(COUNT { (%[1]s)--() } - COUNT { (%[1]s)<-[:MENTIONS]-() })", v)
}

const (
	cypherAnyPassage = `MATCH (p:Passage) RETURN count(p) > 0`
	// The passages whose text may hold each entity's names: the index
	// folds case and accents; coop.MentionText decides.
	cypherPassageCandidates = `UNWIND $rows AS row
CALL db.index.fulltext.queryNodes('` + fulltextPassages + `', row.query) YIELD node
RETURN row.id, node`
	// The entities whose names hold a word of each passage, by the words
	// of their names as coop.SearchWords cuts them (mentionWords), as
	// passages' words are cut: "U.S." is "u s" on both sides.
	cypherEntityCandidates = `UNWIND $rows AS row
CALL db.index.fulltext.queryNodes('` + fulltextMentionWords + `', row.query) YIELD node
RETURN row.id, node`
	cypherSetEntityMentions = `UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
CALL (e) { MATCH (e)<-[m:MENTIONS]-(:Passage) DELETE m }
CALL (e, row) { UNWIND row.keys AS k MATCH (p:Passage {key: k}) MERGE (p)-[:MENTIONS]->(e) }
RETURN count(*)`
	cypherSetPassageMentions = `UNWIND $rows AS row
MATCH (p:Passage {key: row.key})
CALL (p) { MATCH (p)-[m:MENTIONS]->() DELETE m }
CALL (p, row) { UNWIND row.ids AS id MATCH (e:Entity {id: id}) MERGE (p)-[:MENTIONS]->(e) }
RETURN count(*)`
)

// fulltextMentionWords indexes Entity.mentionWords.
const fulltextMentionWords = "entity_mention_words"

// mentionWords is what the mention index reads of an entity: the words of
// the forms its names are mentioned by (coop.MentionForms), once each.
func mentionWords(b *coop.Base) string {
	var words []string
	for _, f := range coop.MentionForms(b) {
		for _, w := range f.Words {
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
	}
	return strings.Join(words, " ")
}

// candidates runs query (cypherPassageCandidates or
// cypherEntityCandidates) for rows (an id and a full-text query each), and
// calls found with each row's id and every node its query finds. Every
// hit is read, as a stream: a cap would leave mentions out, and paging the
// index by score is not stable (hits of equal score change places).
func candidates(ctx context.Context, tx neo4j.ManagedTransaction, query string, rows []map[string]any, found func(id string, n neo4j.Node) error) error {
	for start := 0; start < len(rows); start += 200 {
		res, err := tx.Run(ctx, query, map[string]any{"rows": rows[start:min(start+200, len(rows))]})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record()
			if err := found(rec.Values[0].(string), rec.Values[1].(neo4j.Node)); err != nil {
				return err
			}
		}
		if err := res.Err(); err != nil {
			return err
		}
	}
	return nil
}

// phraseQuery is a full-text query for any of the forms, each as a phrase
// of its folded words: the candidates coop.MentionText then decides on.
func phraseQuery(forms []coop.MentionForm) string {
	var parts []string
	for _, f := range forms {
		words := make([]string, 0, len(f.Words))
		for _, w := range f.Words {
			words = append(words, escapeLucene(w)) // folded already
		}
		parts = append(parts, `"`+strings.Join(words, " ")+`"`)
	}
	return strings.Join(parts, " OR ")
}

// linkEntityMentions works out again which passages mention each of es.
func linkEntityMentions(ctx context.Context, tx neo4j.ManagedTransaction, es []coop.Entity) error {
	if len(es) == 0 {
		return nil
	}
	rec, err := one(ctx, tx, cypherAnyPassage, nil)
	if err != nil || rec == nil || rec.Values[0] != true {
		return err // no passages, nothing to mention anything
	}
	forms := map[string][]coop.MentionForm{}
	rows := make([]map[string]any, 0, len(es))
	for _, e := range es {
		f := coop.MentionForms(e.EntityBase())
		if len(f) == 0 {
			continue
		}
		forms[e.EntityID()] = f
		rows = append(rows, map[string]any{"id": e.EntityID(), "query": phraseQuery(f)})
	}
	keys := map[string][]string{}
	err = candidates(ctx, tx, cypherPassageCandidates, rows, func(id string, n neo4j.Node) error {
		if p := passageFromNode(n); coop.NewMentionText(p.Text).Mentions(forms[id]) {
			keys[id] = append(keys[id], p.Key())
		}
		return nil
	})
	if err != nil {
		return err
	}
	sets := make([]map[string]any, len(es)) // those with no forms lose their mentions
	for i, e := range es {
		sets[i] = map[string]any{"id": e.EntityID(), "keys": nonNil(keys[e.EntityID()])}
	}
	_, err = runBatches(ctx, tx, cypherSetEntityMentions, sets, nil)
	return err
}

// linkPassageMentions works out again which entities each of ps mentions.
func linkPassageMentions(ctx context.Context, tx neo4j.ManagedTransaction, ps []coop.Passage) error {
	texts := make(map[string]coop.MentionText, len(ps))
	var rows []map[string]any
	for _, p := range ps {
		texts[p.Key()] = coop.NewMentionText(p.Text)
		for _, q := range wordsQueries(p.Text) {
			rows = append(rows, map[string]any{"id": p.Key(), "query": q})
		}
	}
	ids := map[string][]string{}
	err := candidates(ctx, tx, cypherEntityCandidates, rows, func(key string, n neo4j.Node) error {
		e, err := entityFromNode(n)
		if err != nil {
			return err
		}
		if !slices.Contains(ids[key], e.EntityID()) && texts[key].Mentions(coop.MentionForms(e.EntityBase())) {
			ids[key] = append(ids[key], e.EntityID())
		}
		return nil
	})
	if err != nil {
		return err
	}
	sets := make([]map[string]any, len(ps))
	for i, p := range ps {
		sets[i] = map[string]any{"key": p.Key(), "ids": nonNil(ids[p.Key()])}
	}
	_, err = runBatches(ctx, tx, cypherSetPassageMentions, sets, nil)
	return err
}

// wordsQueries are full-text queries for the entities with a name holding
// any word of text (stop words and articles left out: a name is never
// mentioned by those alone), 500 words to a query (Lucene takes at most
// 1,024 clauses).
func wordsQueries(text string) []string {
	var words []string
	for _, w := range coop.SearchWords(text) {
		if !indexStopWords[w] && !coop.FunctionWord(w) && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	var out []string
	for start := 0; start < len(words); start += 500 {
		chunk := slices.Clone(words[start:min(start+500, len(words))])
		for i, w := range chunk {
			chunk[i] = escapeLucene(w)
		}
		out = append(out, strings.Join(chunk, " OR "))
	}
	return out
}

// MentionedBy returns the entities each passage (by key) mentions.
func (s *Store) MentionedBy(ctx context.Context, keys []string) (map[string][]coop.Entity, error) {
	recs, err := s.read(ctx, `UNWIND $keys AS k MATCH (:Passage {key: k})-[:MENTIONS]->(e:Entity) RETURN k, e ORDER BY k, e.id`,
		map[string]any{"keys": keys})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.MentionedBy: %w", err)
	}
	out := make(map[string][]coop.Entity, len(keys))
	for _, k := range keys {
		out[k] = []coop.Entity{}
	}
	for _, rec := range recs {
		e, err := entityFromNode(rec.Values[1].(neo4j.Node))
		if err != nil {
			return nil, fmt.Errorf("neo4jstore.MentionedBy: %w", err)
		}
		k := rec.Values[0].(string)
		out[k] = append(out[k], e)
	}
	return out, nil
}

const cypherPassagesMentioning = `UNWIND $ids AS id
CALL (id) {
  MATCH (p:Passage)-[:MENTIONS]->(:Entity {id: id})
  WHERE all(other IN $also WHERE EXISTS { (p)-[:MENTIONS]->(:Entity {id: other}) })
    AND p.source + ' ' + right('000000' + toString(p.order), 6) > $after
  WITH p ORDER BY p.source, p.order LIMIT $limit
  RETURN collect(p) AS page
}
RETURN id, page`

// PassagesMentioning implements coop.Store. The cursor is compared as
// coop.PassageCursor writes it.
func (s *Store) PassagesMentioning(ctx context.Context, q coop.MentionQuery) (map[string]coop.PassagePage, error) {
	also := q.Also
	if also == nil {
		also = []string{}
	}
	recs, err := s.read(ctx, cypherPassagesMentioning,
		map[string]any{"ids": q.IDs, "also": also, "after": q.After, "limit": int64(q.First + 1)})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.PassagesMentioning: %w", err)
	}
	out := make(map[string]coop.PassagePage, len(q.IDs))
	for _, rec := range recs {
		var page coop.PassagePage
		for i, n := range rec.Values[1].([]any) {
			if i == q.First {
				page.HasNextPage = true
				break
			}
			page.Passages = append(page.Passages, passageFromNode(n.(neo4j.Node)))
		}
		out[rec.Values[0].(string)] = page
	}
	return out, nil
}

// cypherSearchPassages finds passages by their text: first those holding
// every word ($every), then, to fill the page, those holding any ($any).
// The index gives its hits best first, so LIMIT after the filters reads
// only as many as it needs.
const cypherSearchPassages = `CALL () {
  CALL db.index.fulltext.queryNodes('` + fulltextPassages + `', $every) YIELD node, score
  WHERE ` + passageFilter + `
  RETURN node, score LIMIT $first
  UNION ALL
  CALL db.index.fulltext.queryNodes('` + fulltextPassages + `', $any) YIELD node, score
  WHERE ` + passageFilter + `
  RETURN node, score LIMIT $first
}
RETURN node, score`

const passageFilter = `($source IS NULL OR node.source = $source)
    AND all(id IN $mentioning WHERE EXISTS { (node)-[:MENTIONS]->(:Entity {id: id}) })`

// SearchPassages implements coop.Store.
func (s *Store) SearchPassages(ctx context.Context, q coop.PassageSearch) ([]coop.PassageHit, error) {
	tokens := coop.SearchWords(q.Text)
	if len(tokens) == 0 {
		return nil, coop.Invalidf("text", "must contain at least one letter or digit")
	}
	if len(tokens) > 20 {
		return nil, coop.Invalidf("text", "has more than 20 words")
	}
	params := map[string]any{"every": luceneQuery(tokens, true), "any": luceneQuery(tokens, false),
		"first": int64(q.First), "source": nil, "mentioning": q.Mentioning}
	if q.Source != "" {
		params["source"] = q.Source
	}
	if q.Mentioning == nil {
		params["mentioning"] = []string{}
	}
	recs, err := s.read(ctx, cypherSearchPassages, params)
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.SearchPassages: %w", err)
	}
	hits := make([]coop.PassageHit, 0, len(recs))
	seen := map[string]bool{}
	for _, rec := range recs {
		p := passageFromNode(rec.Values[0].(neo4j.Node))
		if seen[p.Key()] {
			continue // found by both queries: the strict one comes first
		}
		seen[p.Key()] = true
		score, _ := rec.Values[1].(float64)
		hits = append(hits, coop.PassageHit{Passage: p, Score: score})
	}
	return hits[:min(len(hits), q.First)], nil
}

// Tied reports which pairs of entities (by id) some allow-listed tie
// joins, in either direction.
func (s *Store) Tied(ctx context.Context, pairs [][2]string) (map[[2]string]bool, error) {
	rows := make([]any, len(pairs))
	for i, p := range pairs {
		rows[i] = []any{p[0], p[1]}
	}
	recs, err := s.read(ctx, `UNWIND $pairs AS p
MATCH (a:Entity {id: p[0]}) MATCH (b:Entity {id: p[1]})
WITH p WHERE EXISTS { (a)-[`+allTies+`]-(b) }
RETURN p[0], p[1]`, map[string]any{"pairs": rows})
	if err != nil {
		return nil, fmt.Errorf("neo4jstore.Tied: %w", err)
	}
	out := make(map[[2]string]bool, len(recs))
	for _, rec := range recs {
		out[[2]string{rec.Values[0].(string), rec.Values[1].(string)}] = true
	}
	return out, nil
}
