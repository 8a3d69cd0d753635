package guesttoken

import (
	"fmt"
	"strings"
)

// ValidationError lists what is wrong with a request before anything is sent.
// Checking locally gives one clear message for every problem at once, where
// the server would answer a vague 400 (or, for stock Superset, a 500) for the
// first one only.
type ValidationError struct {
	// Problems holds one "field: what is wrong" entry per problem found.
	Problems []string
}

// Error joins all the problems.
func (e *ValidationError) Error() string {
	return "guesttoken: invalid request: " + strings.Join(e.Problems, "; ")
}

// problems collects validation failures so that a request reports all of
// them, not just the first.
type problems []string

func (p *problems) addf(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

// err returns nil when nothing was found, so callers can return it directly.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}
