package model

import (
	"fmt"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/coopgraph/coopgraph/internal/coop"
)

// MarshalDate writes a coop.Date as its text, and an unknown date as null.
func MarshalDate(d coop.Date) graphql.Marshaler {
	if d.IsZero() {
		return graphql.Null
	}
	return graphql.WriterFunc(func(w io.Writer) { io.WriteString(w, strconv.Quote(d.String())) })
}

// UnmarshalDate reads a Date argument, rejecting malformed ones with a
// BAD_USER_INPUT error.
func UnmarshalDate(v any) (coop.Date, error) {
	s, ok := v.(string)
	if !ok {
		return coop.Date{}, &coop.Error{Code: coop.CodeInvalid, Message: fmt.Sprintf("a Date is a string such as \"2025-04-04\", \"2025-04\" or \"2025\"; got %T", v)}
	}
	d, err := coop.ParseDate(s)
	if err != nil {
		if len(s) > 20 { // never echo long input back
			return coop.Date{}, &coop.Error{Code: coop.CodeInvalid, Message: "is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD or YYYX"}
		}
		return coop.Date{}, &coop.Error{Code: coop.CodeInvalid, Message: err.Error()}
	}
	return d, nil
}
