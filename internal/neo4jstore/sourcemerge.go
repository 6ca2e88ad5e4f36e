package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// When one source is merged into another, the kept source keeps its
// passages; it takes the other's when it has none. Either way, every
// locator a fact cites of the removed source must be a passage of the kept
// one, or the merge is refused: no citation may point at nothing.
const (
	cypherMovePassages = `UNWIND $rows AS row MATCH (p:Passage {key: row.old})
SET p.source = row.source, p.key = row.key`
	cypherDropPassages = `MATCH (p:Passage {source: $id}) DETACH DELETE p`
)

var cypherTiesCiting = `MATCH ()-[r` + allTies + `]->() WHERE $remove IN r.citeSources RETURN r`

func mergePassages(ctx context.Context, tx neo4j.ManagedTransaction, keepID, removeID string) error {
	recs, err := collect(ctx, tx, cypherLocatorsOf, map[string]any{"sources": []string{keepID, removeID}})
	if err != nil {
		return err
	}
	has := locatorMap(recs)
	kept := has[keepID]
	if len(kept) == 0 {
		kept = has[removeID]
	}
	if len(kept) > 0 {
		// What facts cite of either source must be among the passages kept.
		recs, err := collect(ctx, tx, cypherCitedLocators, map[string]any{"sources": []string{keepID, removeID}})
		if err != nil {
			return err
		}
		var lost []string
		for _, rec := range recs {
			if loc := rec.Values[1].(string); !slices.Contains(kept, loc) {
				facts := strs(rec.Values[2])
				slices.Sort(facts)
				lost = append(lost, fmt.Sprintf("%s %s (cited by %s)", rec.Values[0], loc, listSome(facts, 3)))
			}
		}
		if len(lost) > 0 {
			slices.Sort(lost)
			return coop.Invalidf("remove", "the merged source would keep passages that lack what facts cite: %s; load them into %q first (coopgraph ingest or import), or cite other passages",
				listSome(lost, 5), keepID)
		}
	}
	if len(has[keepID]) == 0 && len(has[removeID]) > 0 {
		rows := make([]map[string]any, len(has[removeID]))
		for i, loc := range has[removeID] {
			rows[i] = map[string]any{"old": coop.PassageKey(removeID, loc), "source": keepID, "key": coop.PassageKey(keepID, loc)}
		}
		return run(ctx, tx, cypherMovePassages, map[string]any{"rows": rows})
	}
	return run(ctx, tx, cypherDropPassages, map[string]any{"id": removeID})
}

// repointTieCitations sends ties' citations of the removed source to the
// kept one. Two citations that become the same place become one, and the
// tie's status is worked out again from them.
func repointTieCitations(ctx context.Context, tx neo4j.ManagedTransaction, keepID, removeID string) error {
	recs, err := collect(ctx, tx, cypherTiesCiting, map[string]any{"remove": removeID})
	if err != nil {
		return err
	}
	rows := map[coop.RelationType][]map[string]any{}
	for _, rec := range recs {
		rel := rec.Values[0].(neo4j.Relationship)
		t := coop.RelationType(rel.Type)
		rule, ok := coop.RuleFor(t)
		if !ok {
			return fmt.Errorf("relationship of type %q outside the allow-list", rel.Type)
		}
		p := props(rel.Props)
		cites := p.citations()
		for i := range cites {
			if cites[i].SourceID == removeID {
				cites[i].SourceID = keepID
			}
		}
		cites = samePlaceOnce(cites)
		status := coop.Status(p.str("status"))
		if !rule.Managed() { // a country tie's status is its entity's
			status = coop.Restatus(status, cites)
		}
		row := map[string]any{"id": p.str("id"), "version": p.version() + 1, "status": string(status)}
		citationProps(row, cites)
		rows[t] = append(rows[t], row)
	}
	for _, rule := range coop.Relations {
		if len(rows[rule.Type]) > 0 {
			if err := run(ctx, tx, fmt.Sprintf(cypherFoldTies, rule.Type), map[string]any{"rows": rows[rule.Type]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// samePlaceOnce keeps one citation per source and locator. Two that say
// how sure their sources are keep what both together say (a dispute
// first, else the surer): merging two records of one source must not
// hide that it disputes a tie.
func samePlaceOnce(cs []coop.Citation) []coop.Citation {
	var out []coop.Citation
	for _, c := range cs {
		i := slices.IndexFunc(out, func(x coop.Citation) bool { return x.SourceID == c.SourceID && x.Locator == c.Locator })
		if i < 0 {
			out = append(out, c)
			continue
		}
		out[i].Status = coop.CitedStatus([]coop.Citation{out[i], c})
	}
	return out
}

// listSome joins the first n of xs, saying how many more there are.
func listSome(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:n], ", "), len(xs)-n)
}
