// Package outcome carries what became of one request, its GraphQL
// operation and the code it ended with, from the GraphQL layer back to the
// HTTP layer, which logs and counts it.
package outcome

import (
	"context"
	"encoding/json"
	"sync"
)

// Outcome is what became of a request. Its methods are safe for
// concurrent use, and do nothing on a nil Outcome.
type Outcome struct {
	mu        sync.Mutex
	operation string
	code      string
	variables map[string]any
	after     []string // bookmarks the client sent: its reads must see those writes
	written   []string // bookmarks of the writes this request made
}

type key struct{}

// With returns ctx carrying a new Outcome, and the Outcome.
func With(ctx context.Context) (context.Context, *Outcome) {
	o := &Outcome{}
	return context.WithValue(ctx, key{}, o), o
}

// From returns the Outcome in ctx, or nil.
func From(ctx context.Context) *Outcome {
	o, _ := ctx.Value(key{}).(*Outcome)
	return o
}

// SetOperation records the operation's name ("" for an anonymous one) and
// its variables (whose size VariablesBytes gives, for a slow request).
func (o *Outcome) SetOperation(name string, variables map[string]any) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.operation, o.variables = name, variables
}

// VariablesBytes is the size of the operation's variables as JSON: worked
// out only when asked, as the slow-request log does.
func (o *Outcome) VariablesBytes() int {
	if o == nil {
		return 0
	}
	o.mu.Lock()
	vars := o.variables
	o.mu.Unlock()
	if len(vars) == 0 {
		return 0
	}
	b, _ := json.Marshal(vars)
	return len(b)
}

// SetCode records an error code; the first one stands.
func (o *Outcome) SetCode(code string) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.code == "" {
		o.code = code
	}
}

// Get returns the operation and the code ("" when none was recorded).
func (o *Outcome) Get() (operation, code string) {
	if o == nil {
		return "", ""
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.operation, o.code
}

// ReadAfter records the bookmarks a client sent back: the request's
// transactions must see the writes they stand for.
func (o *Outcome) ReadAfter(bookmarks []string) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.after = bookmarks
}

// After returns the bookmarks the request's transactions must wait for.
func (o *Outcome) After() []string {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.after
}

// Wrote records the bookmarks of a write the request made: the answer
// carries them, and the request's later reads (a mutation's payload) wait
// for them.
func (o *Outcome) Wrote(bookmarks []string) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.written = bookmarks
	o.after = bookmarks
}

// Written returns the bookmarks of the request's last write, if any.
func (o *Outcome) Written() []string {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.written
}
