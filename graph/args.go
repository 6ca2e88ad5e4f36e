package graph

import (
	"encoding/base64"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// Cursors are opaque to clients: the base64 of the key a list is ordered
// by, taken from its last item (an id for most lists, a timeline item's Key,
// coop.PassageCursor or coop.PassageOrderCursor for passages).
func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// cursorArg decodes the cursor passed as field: parse reads the key it
// holds and says whether it is one this API gives. No cursor (nil or
// empty) is parse's zero value.
func cursorArg[K any](field string, c *string, parse func(string) (K, bool)) (K, error) {
	var zero K
	if c == nil || *c == "" {
		return zero, nil
	}
	if b, err := base64.RawURLEncoding.DecodeString(*c); err == nil {
		if key, ok := parse(string(b)); ok {
			return key, nil
		}
	}
	return zero, coop.Invalidf(field, "is not a cursor given by this API; pass a pageInfo.endCursor")
}

// textKey is a parse for cursorArg of keys that are text of the form valid
// checks.
func textKey(valid func(string) bool) func(string) (string, bool) {
	return func(s string) (string, bool) { return s, valid(s) }
}

// validIDKey reports whether s is an id as a cursor holds it.
func validIDKey(s string) bool { return len(s) <= 200 && coop.ValidID(s) }

// pageArgs checks first (0 to coop.MaxPageSize) and decodes after.
func pageArgs(first *int, after *string) (coop.PageArgs, error) {
	p := coop.PageArgs{First: coop.DefaultPageSize}
	if first != nil {
		if *first < 0 || *first > coop.MaxPageSize {
			return p, coop.Invalidf("first", "must be between 0 and %d; got %d", coop.MaxPageSize, *first)
		}
		p.First = *first
	}
	var err error
	p.After, err = cursorArg("after", after, textKey(validIDKey))
	return p, err
}

func pageInfo(hasNext bool, lastID string) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext}
	if lastID != "" {
		c := encodeCursor(lastID)
		pi.EndCursor = &c
	}
	return pi
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
