package coop

import (
	"errors"
	"fmt"
)

// Code classifies an error for clients. Only the transport maps codes onto
// the wire (GraphQL extensions.code, HTTP status).
type Code string

const (
	CodeInvalid     Code = "BAD_USER_INPUT"
	CodeNotFound    Code = "NOT_FOUND"
	CodeConflict    Code = "CONFLICT"
	CodeUnavailable Code = "SERVICE_UNAVAILABLE"
	CodeTimeout     Code = "TIMEOUT"
	CodeTooComplex  Code = "QUERY_TOO_COMPLEX"
	CodeInternal    Code = "INTERNAL"
	// CodeUnauthenticated: no valid credential came with a request that needs one.
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	// CodeForbidden: the credential is valid but its role may not do this.
	CodeForbidden Code = "FORBIDDEN"
)

// Error is an error meant for the client: its Message is safe to show.
// Field names the argument or input field at fault, when there is one.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error // the cause, for logs only; never shown to clients
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
