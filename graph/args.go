package graph

import (
	"encoding/base64"
	"strconv"

	"github.com/coopgraph/coopgraph/graph/model"
	"github.com/coopgraph/coopgraph/internal/coop"
)

// Cursors are opaque to clients: the base64 of the last item's id.
func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

func decodeCursor(field, c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) > 200 || !coop.ValidID(string(b)) {
		return "", coop.Invalidf(field, "is not a cursor given by this API; pass a pageInfo.endCursor")
	}
	return string(b), nil
}

// pageArgs checks first (0 to coop.MaxPageSize) and decodes after.
func pageArgs(first *int, after *string) (coop.PageArgs, error) {
	p := coop.PageArgs{First: coop.DefaultPageSize}
	if first != nil {
		if *first < 0 || *first > coop.MaxPageSize {
			return p, coop.Invalidf("first", "must be between 0 and %d; got %d", coop.MaxPageSize, *first)
		}
		p.First = *first
	}
	if after != nil && *after != "" {
		id, err := decodeCursor("after", *after)
		if err != nil {
			return p, err
		}
		p.After = id
	}
	return p, nil
}

func pageInfo(hasNext bool, lastID string) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext}
	if lastID != "" {
		c := encodeCursor(lastID)
		pi.EndCursor = &c
	}
	return pi
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
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
