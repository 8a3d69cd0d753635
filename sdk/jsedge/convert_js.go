//go:build js && wasm

package jsedge

import (
	"github.com/hack-pad/safejs"

	"github.com/dashembed/dashembed/sdk/embed"
	"github.com/dashembed/dashembed/sdk/jsvalue"
	"github.com/dashembed/dashembed/sdk/protocol"
)

// maxCopyDepth bounds how deep a caller's object is copied.
const maxCopyDepth = jsvalue.MaxDepth

// Constructors and helpers looked up once; none can change under us in a way
// that matters, and each lookup from Go costs a JS round trip.
var jsGlobals = struct{ object, array, element, reflect safejs.Value }{}

func init() {
	g := safejs.Global()
	jsGlobals.object, _ = g.Get("Object")
	jsGlobals.array, _ = g.Get("Array")
	jsGlobals.element, _ = g.Get("Element")
	jsGlobals.reflect, _ = g.Get("Reflect")
}

// typeBigInt stands for JavaScript's bigint, a type syscall/js does not
// know: its Type() panics on one.
const typeBigInt safejs.Type = -1

// typeOf is v.Type() that survives a bigint.
func typeOf(v safejs.Value) (t safejs.Type) {
	defer func() {
		if recover() != nil {
			t = typeBigInt
		}
	}()
	return v.Type()
}

// copyValue copies a JavaScript value into a jsvalue tree.
func copyValue(v safejs.Value, depth int) any {
	switch typeOf(v) {
	case safejs.TypeUndefined:
		return nil
	case safejs.TypeNull:
		return jsvalue.Null{}
	case safejs.TypeBoolean:
		b, _ := v.Bool()
		return b
	case safejs.TypeNumber:
		f, _ := v.Float()
		return f
	case safejs.TypeString:
		s, _ := v.String()
		return s
	case safejs.TypeFunction:
		return jsvalue.Handle{Kind: jsvalue.KindFunction, Ref: v}
	case safejs.TypeObject:
		return copyObject(v, depth)
	case typeBigInt:
		return jsvalue.Handle{Kind: jsvalue.KindObject, Ref: v, Name: "BigInt"}
	}
	return jsvalue.Handle{Kind: jsvalue.KindObject, Ref: v, Name: "Symbol"}
}

func copyObject(v safejs.Value, depth int) any {
	if isInstance(v, jsGlobals.element) {
		connected, _ := getBool(v, "isConnected")
		return jsvalue.Handle{Kind: jsvalue.KindElement, Ref: v, Connected: connected, Name: constructorName(v)}
	}
	if isArray, _ := call(jsGlobals.array, "isArray", v); truthy(isArray) {
		if depth >= maxCopyDepth {
			return jsvalue.Handle{Kind: jsvalue.KindObject, Ref: v, Name: "Array"}
		}
		length, err := reflectGet(v, "length")
		if err != nil {
			return jsvalue.Thrown{Message: errText(err)}
		}
		n, _ := length.Int()
		out := make([]any, 0, min(n, jsvalue.MaxItems))
		for i := 0; i < n && i < jsvalue.MaxItems; i++ {
			item, err := reflectGet(v, i)
			if err != nil {
				out = append(out, jsvalue.Thrown{Message: errText(err)})
				continue
			}
			out = append(out, copyValue(item, depth+1))
		}
		return out
	}
	proto, err := call(jsGlobals.object, "getPrototypeOf", v)
	if err != nil {
		return jsvalue.Thrown{Message: errText(err)}
	}
	objectProto, _ := jsGlobals.object.Get("prototype")
	if !proto.IsNull() && !proto.Equal(objectProto) || depth >= maxCopyDepth {
		return jsvalue.Handle{Kind: jsvalue.KindObject, Ref: v, Name: constructorName(v)}
	}
	keys, err := call(jsGlobals.object, "keys", v)
	if err != nil {
		return jsvalue.Thrown{Message: errText(err)}
	}
	n, _ := keys.Length()
	out := make(map[string]any, n)
	for i := 0; i < n && i < jsvalue.MaxKeys; i++ {
		k, _ := keys.Index(i)
		key, _ := k.String()
		item, err := reflectGet(v, key)
		if err != nil {
			out[key] = jsvalue.Thrown{Message: errText(err)}
			continue
		}
		out[key] = copyValue(item, depth+1)
	}
	return out
}

// toJS turns what Go holds (copied values, handles, browser values, event
// details) back into a JavaScript value.
func toJS(v any) any {
	switch v := v.(type) {
	case nil:
		return safejs.Undefined()
	case jsvalue.Null:
		return safejs.Null()
	case bool, float64, string, int, safejs.Value:
		return v
	case jsvalue.Handle:
		return v.Ref
	case embed.Detail:
		return toJS(map[string]any(v))
	case map[string]any:
		obj, _ := jsGlobals.object.New()
		for k, item := range v {
			_ = obj.Set(k, toJS(item))
		}
		return obj
	case []any:
		arr, _ := jsGlobals.array.New()
		for i, item := range v {
			_ = arr.SetIndex(i, toJS(item))
		}
		return arr
	}
	return safejs.Undefined()
}

// messageFromArgs reads a switchboard message as glue.listenPort unpacks it:
// action, method, messageId, error, args, result. Args and result stay
// browser values; a field of the wrong type reads as empty.
func messageFromArgs(a []safejs.Value) protocol.Message {
	return protocol.Message{
		Action:    stringOf(argAt(a, 0)),
		Method:    stringOf(argAt(a, 1)),
		MessageID: stringOf(argAt(a, 2)),
		Error:     stringOf(argAt(a, 3)),
		Args:      argAt(a, 4),
		Result:    argAt(a, 5),
	}
}

func stringOf(v safejs.Value) string {
	if typeOf(v) != safejs.TypeString {
		return ""
	}
	s, _ := v.String()
	return s
}

func getString(v safejs.Value, key string) (string, bool) {
	item, err := reflectGet(v, key)
	if err != nil || typeOf(item) != safejs.TypeString {
		return "", false
	}
	s, err := item.String()
	return s, err == nil
}

func getBool(v safejs.Value, key string) (bool, bool) {
	item, err := reflectGet(v, key)
	if err != nil || typeOf(item) != safejs.TypeBoolean {
		return false, false
	}
	b, err := item.Bool()
	return b, err == nil
}

func call(v safejs.Value, method string, args ...any) (safejs.Value, error) {
	return v.Call(method, args...)
}

func truthy(v safejs.Value) bool {
	b, _ := v.Truthy()
	return b
}

func isInstance(v, ctor safejs.Value) bool {
	if typeOf(ctor) != safejs.TypeFunction {
		return false
	}
	proto, err := reflectGet(ctor, "prototype")
	if err != nil {
		return false
	}
	ok, err := call(proto, "isPrototypeOf", v)
	return err == nil && truthy(ok)
}

func constructorName(v safejs.Value) string {
	ctor, err := reflectGet(v, "constructor")
	if err != nil || typeOf(ctor) != safejs.TypeFunction {
		return ""
	}
	name, _ := getString(ctor, "name")
	return name
}

// errText is the message of a JavaScript exception that safejs caught.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// reflectGet reads v[key]. A plain property read can run a getter or a
// Proxy trap, and syscall/js does not catch what those throw: the exception
// would unwind through Go and end the program for the whole page. Reflect.get
// goes through a method call, which is caught, and comes back as an error.
func reflectGet(v safejs.Value, key any) (safejs.Value, error) {
	return jsGlobals.reflect.Call("get", v, key)
}
