package coop

import (
	"strings"
	"testing"
)

func TestNewNetworkQueryKeepsTheBounds(t *testing.T) {
	n := func(v int) *int { return &v }
	q, err := NewNetworkQuery([]string{"a"}, nil, nil, nil)
	if err != nil || q.Depth != NetworkDepth.Default || q.Limit != NetworkSize.Default || q.PerNode != NetworkPerNode.Default {
		t.Fatalf("defaults: %+v, %v", q, err)
	}
	for name, c := range map[string]struct {
		ids                   []string
		depth, limit, perNode *int
		field                 string // "" when the query stands
	}{
		"the most of each":      {[]string{"a"}, n(NetworkDepth.Max), n(NetworkSize.Max), n(NetworkPerNode.Max), ""},
		"no entity":             {nil, nil, nil, nil, "ids"},
		"too deep":              {[]string{"a"}, n(NetworkDepth.Max + 1), nil, nil, "depth"},
		"depth 0":               {[]string{"a"}, n(0), nil, nil, "depth"},
		"too large":             {[]string{"a"}, nil, n(NetworkSize.Max + 1), nil, "limit"},
		"too many ties a node":  {[]string{"a"}, nil, nil, n(NetworkPerNode.Max + 1), "perNode"},
		"no ties from any node": {[]string{"a"}, nil, nil, n(0), "perNode"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewNetworkQuery(c.ids, c.depth, c.limit, c.perNode)
			var field string
			if e, ok := err.(*Error); ok {
				field = e.Field
			} else if err != nil {
				t.Fatalf("uncoded error %v", err)
			}
			if field != c.field {
				t.Errorf("refused on %q (%v); want %q", field, err, c.field)
			}
		})
	}
}

func TestRangeTakeSaysTheBounds(t *testing.T) {
	r := Range{Default: 5, Min: 1, Max: 9}
	if v, err := r.Take("first", nil); v != 5 || err != nil {
		t.Errorf("nil: %d, %v", v, err)
	}
	ten := 10
	if _, err := r.Take("first", &ten); err == nil || ErrorCode(err) != CodeInvalid || !strings.Contains(err.Error(), "first: must be between 1 and 9; got 10") {
		t.Errorf("10: %v", err)
	}
}
