package coop

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error. The codes are the domain's own; package
// wirecode maps them, in one place, onto what clients see (GraphQL
// extensions.code, HTTP status).
type Code string

const (
	CodeInvalid     Code = "invalid"
	CodeNotFound    Code = "not found"
	CodeConflict    Code = "conflict"
	CodeUnavailable Code = "unavailable"
	CodeTimeout     Code = "timeout"
	CodeTooComplex  Code = "too complex"
	CodeInternal    Code = "internal"
	// CodeUnauthenticated: no valid credential came with a request that needs one.
	CodeUnauthenticated Code = "unauthenticated"
	// CodeForbidden: the credential is valid but its role may not do this.
	CodeForbidden Code = "forbidden"
)

// Codes lists every code, so that the transport can be checked to map each.
var Codes = []Code{CodeInvalid, CodeNotFound, CodeConflict, CodeUnavailable, CodeTimeout, CodeTooComplex, CodeInternal,
	CodeUnauthenticated, CodeForbidden}

// Error is an error meant for the client: its Message is safe to show.
// Field names the argument or input field at fault, when there is one.
type Error struct {
	Code    Code
	Field   string
	Message string
	IDs     []string // the ids at fault, when the error is about some
	Err     error    // the cause, for logs only; never shown to clients
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Invalidf reports bad input in the named field.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Conflictf reports a write that clashes with the stored graph.
func Conflictf(field, format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports that what a write names does not exist.
func NotFoundf(field, format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Field: field, Message: fmt.Sprintf(format, args...)}
}

// UnknownIDs reports ids, given in the named argument, that name no
// entity (merged-away ids name the entity they were merged into).
// Each id is quoted to at most 60 characters, and the message names at most
// five of them: errors never echo input at length.
func UnknownIDs(field string, ids []string) *Error {
	short := make([]string, len(ids))
	for i, id := range ids {
		if r := []rune(id); len(r) > 60 {
			id = string(r[:60]) + "…"
		}
		short[i] = id
	}
	quoted := make([]string, 0, 5)
	for _, id := range short[:min(5, len(short))] {
		quoted = append(quoted, fmt.Sprintf("%q", id))
	}
	msg := "no entity has the id " + quoted[0]
	if len(ids) > 1 {
		msg = "no entity has the ids " + strings.Join(quoted, ", ")
		if len(ids) > 5 {
			msg += fmt.Sprintf(" and %d more", len(ids)-5)
		}
	}
	return &Error{Code: CodeNotFound, Field: field, Message: msg + ": check the spelling, or search by name", IDs: short}
}

// Unavailable reports that the database could not be reached in time.
func Unavailable(cause error) *Error {
	return &Error{Code: CodeUnavailable, Message: "the graph database is unavailable; try again shortly", Err: cause}
}

// Timeout reports that a query was cut by its deadline.
func Timeout(cause error) *Error {
	return &Error{Code: CodeTimeout, Message: "the query took too long and was stopped", Err: cause}
}

// ErrorCode returns the code of err, or CodeInternal when err carries none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
