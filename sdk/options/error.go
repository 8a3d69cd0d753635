package options

import (
	"strconv"

	"github.com/dashembed/dashembed/sdk/jsvalue"
)

// OptionError is the error for a bad embedDashboard option. Its message names
// the option by its full path ("dashboardUiConfig.filters.visible",
// "iframeSandboxExtras[1]") so the caller knows which line to fix, and says
// what was expected and what was given.
type OptionError struct {
	// Option is the full path of the offending option.
	Option string
	// Problem says what was expected and what was given, such as
	// `must be a boolean, got a string`.
	Problem string
}

// Error returns the message, such as
// `dashembed: option "supersetDomain" must be an absolute http(s) URL, got "foo"`.
func (e *OptionError) Error() string {
	return "dashembed: option " + strconv.Quote(e.Option) + " " + e.Problem
}

// optionError builds an *OptionError as an error.
func optionError(option, problem string) error {
	return &OptionError{Option: option, Problem: problem}
}

// optionTypeError reports a value of the wrong type. A value whose getter
// threw gets its own message, since its type was never known.
func optionTypeError(option, want string, got any) error {
	if t, ok := got.(jsvalue.Thrown); ok {
		return optionError(option, "could not be read (reading it threw: "+t.Message+")")
	}
	return optionError(option, "must be "+want+", got "+jsvalue.TypeName(got))
}
