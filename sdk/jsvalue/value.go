// Package jsvalue is the SDK's picture of a JavaScript value. The browser
// edge (package jsedge) copies every value a host app hands the SDK into
// these types before any decision is taken, so that option validation and
// the rest of the SDK's logic stay pure Go and testable without a browser:
//
//	JavaScript value ──jsedge copies──▶ jsvalue tree ──options.Parse──▶ Params
//
// The mapping is:
//
//	undefined            → nil
//	null                 → Null{}
//	boolean              → bool
//	number               → float64
//	string               → string
//	Array                → []any
//	plain Object         → map[string]any (own enumerable keys)
//	function             → Handle{Kind: KindFunction}
//	Element              → Handle{Kind: KindElement}
//	any other object     → Handle{Kind: KindObject}
//	a getter that throws → Thrown{Message}
//
// A string's lone surrogates become U+FFFD, as TextEncoder writes them.
package jsvalue

// Limits of the copy: a cyclic or huge object must not hang the page, and
// options are small. Past them the copy holds less than the object: deeper
// values become Handles, further keys and items are left out.
const (
	// MaxDepth is how deep objects and arrays are copied.
	MaxDepth = 6
	// MaxKeys is how many keys of one object are copied.
	MaxKeys = 256
	// MaxItems is how many items of one array are copied.
	MaxItems = 1024
)

// Null stands for JavaScript's null.
type Null struct{}

// HandleKind says what sort of JavaScript object a Handle refers to.
type HandleKind int

const (
	// KindObject is any object that is not a plain object, array, function or element.
	KindObject HandleKind = iota
	// KindFunction is a callable value.
	KindFunction
	// KindElement is a DOM Element.
	KindElement
)

// Handle is a JavaScript object the SDK keeps but never looks inside from pure
// Go. Ref holds the browser's value (opaque here); Connected tells, for an
// element, whether it is attached to a document.
type Handle struct {
	Kind      HandleKind
	Ref       any
	Connected bool
	// Name is what the edge could learn of the object for error messages,
	// such as its constructor name ("Date", "HTMLDivElement").
	Name string
}

// Thrown records that reading a value threw in JavaScript (a getter that
// throws, a revoked Proxy); Message is the exception's text.
type Thrown struct {
	Message string
}

// TypeName describes a copied JavaScript value the way a JavaScript
// developer would, for error messages: "undefined", "null", "a number", …
func TypeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "undefined"
	case Null:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case Thrown:
		return "a value whose getter threw (" + v.Message + ")"
	case Handle:
		switch v.Kind {
		case KindFunction:
			return "a function"
		case KindElement:
			if v.Name != "" {
				return "an element (" + v.Name + ")"
			}
			return "an element"
		default:
			if v.Name != "" {
				return "an object (" + v.Name + ")"
			}
			return "an object"
		}
	}
	return "an unsupported value"
}
