package graph

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"

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
func validIDKey(s string) bool { return len(s) <= maxArgText && coop.ValidID(s) }

// maxArgText bounds the text and ids an argument may hold: longer ones are
// refused, and never echoed back.
const maxArgText = 200

// textArg refuses free text (a search, a name filter) longer than maxArgText.
func textArg(field, s string) error {
	if utf8.RuneCountInString(s) > maxArgText {
		return coop.Invalidf(field, "is longer than %d characters", maxArgText)
	}
	return nil
}

// pageArgs checks first (coop.PageSize) and decodes after.
func pageArgs(first *int, after *string) (coop.PageArgs, error) {
	var p coop.PageArgs
	var err error
	if p.First, err = coop.PageSize.Take("first", first); err != nil {
		return p, err
	}
	p.After, err = cursorArg("after", after, textKey(validIDKey))
	return p, err
}

// seqKey reads an audit trail cursor: a change's sequence number.
func seqKey(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
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
