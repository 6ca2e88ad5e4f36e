package peer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

// networkArguments are the arguments of the peer's networkDepthN fields:
// every parameter coopgraph's network statement may take must be one.
var networkArguments = []string{"ids", "limit", "perNode", "perNodeProbe", "activeFirst", "activeLast"}

// appInput is what the peer app reads on its standard input: the
// allow-listed relationship types ("any tie" means these, as in
// coopgraph) and coopgraph's own network statement for each depth, which
// the app serves through @cypher fields (the library has no operation for
// a capped neighbourhood), so that the two never drift apart.
type appInput struct {
	Ties    []string          `json:"ties"`
	Network map[string]string `json:"network"`
}

func newAppInput() ([]byte, error) {
	in := appInput{Network: map[string]string{}}
	for _, r := range coop.Relations {
		in.Ties = append(in.Ties, string(r.Type))
	}
	for depth := 1; depth <= coop.MaxNetworkDepth; depth++ {
		st, err := neo4jstore.NetworkStatement(coop.NetworkQuery{IDs: []string{"x"}, Depth: depth,
			Limit: coop.DefaultNetworkSize, PerNode: coop.DefaultPerNode})
		if err != nil {
			return nil, fmt.Errorf("coopgraph's network statement at depth %d: %w", depth, err)
		}
		for _, p := range slices.Sorted(maps.Keys(st.Params)) {
			if !slices.Contains(networkArguments, p) {
				return nil, fmt.Errorf("coopgraph's network statement takes the parameter $%s, which the peer's networkDepth%d field does not declare (internal/peer/app/server.mjs)", p, depth)
			}
		}
		in.Network[strconv.Itoa(depth)] = st.Cypher
	}
	return json.Marshal(in)
}
