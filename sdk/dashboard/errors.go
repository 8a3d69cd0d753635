package dashboard

import (
	"github.com/dashembed/dashembed/sdk/contract"
	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/options"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// ErrorFields say how a Go error looks as a JavaScript Error.
type ErrorFields struct {
	// Name is the Error's name; "" keeps the default ("Error").
	Name string
	// Code is one of contract.Codes.
	Code string
	// Option names the bad option or argument, for INVALID_OPTION.
	Option string
}

// Describe gives err's name, code and option for JavaScript.
func Describe(err error) ErrorFields {
	switch e := err.(type) {
	case *options.OptionError:
		return ErrorFields{Name: contract.NameError, Code: contract.CodeInvalidOption, Option: e.Option}
	case *protocol.PortClosedError:
		return ErrorFields{Name: contract.NamePortClosed, Code: contract.CodePortClosed}
	case *embed.Error:
		return ErrorFields{Name: contract.NameError, Code: e.Code}
	case *protocol.RemoteError:
		// The page's own error: upstream hands it over as a plain Error.
		return ErrorFields{Code: contract.CodeRemoteError}
	case *protocol.SendError:
		// An argument the browser cannot clone (a function, a DOM node).
		return ErrorFields{Name: contract.NameError, Code: contract.CodeInvalidOption, Option: e.Method}
	}
	return ErrorFields{Name: contract.NameError, Code: contract.CodeInternal}
}
