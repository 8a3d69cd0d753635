package apijson

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// MsgNotMapping is marshmallow's message for a Dict field given something
// other than an object.
const MsgNotMapping = "Not a valid mapping type."

// Integer converts a value the way marshmallow's (non-strict) Integer field
// loads it, which is laxer than JSON: a numeric string such as "7" becomes
// 7, and a float is truncated toward zero, as Python's int() does. It returns
// the message marshmallow would give when it refuses the value.
func Integer(v any) (int, string) {
	switch x := v.(type) {
	case nil:
		return 0, MsgNullField
	case json.Number:
		if i, err := x.Int64(); err == nil && i == int64(int(i)) {
			return int(i), ""
		}
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) || math.Abs(f) > math.MaxInt32 {
			return 0, MsgNotInteger
		}
		return int(f), ""
	case string:
		return pythonInt(x)
	}
	// Booleans, lists and objects: int() refuses them (marshmallow refuses
	// booleans explicitly, since Python's bool is an int).
	return 0, MsgNotInteger
}

// pythonInt parses a string as Python's int() does: surrounding whitespace,
// a sign, and underscores between digits are accepted.
func pythonInt(s string) (int, string) {
	t := strings.TrimSpace(s)
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 || body == "" || strings.HasPrefix(body, "_") || strings.HasSuffix(body, "_") || strings.Contains(body, "__") {
		return 0, MsgNotInteger
	}
	i, err := strconv.Atoi(t[:len(t)-len(body)] + strings.ReplaceAll(body, "_", ""))
	if err != nil {
		return 0, MsgNotInteger
	}
	return i, ""
}

// Nested reports a value given for a nested schema (marshmallow's Nested
// field): the object, or the error marshmallow records for the field — a
// null, or a non-object under the nested schema's "_schema" key.
func Nested(v any) (map[string]any, any) {
	switch x := v.(type) {
	case map[string]any:
		return x, nil
	case nil:
		return nil, []string{MsgNullField}
	}
	return nil, SchemaErrors{"_schema": []string{MsgNotObject}}
}

// List reports a value given for a List field: the items, or marshmallow's
// message for a null or a non-list.
func List(v any) ([]any, string) {
	switch x := v.(type) {
	case []any:
		return x, ""
	case nil:
		return nil, MsgNullField
	}
	return nil, MsgNotList
}

// Repr writes marshmallow's error messages the way Python prints them (a
// dict of lists of strings), for the endpoints whose message is a sentence
// with the errors spliced in, such as chart data's "Request is incorrect:
// {...}". Keys are sorted, which Python's order need not be.
func Repr(v any) string {
	switch x := v.(type) {
	case SchemaErrors:
		return Repr(map[string]any(x))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = Repr(k) + ": " + Repr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = Repr(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		if strings.Contains(x, "'") && !strings.Contains(x, `"`) {
			return `"` + x + `"`
		}
		return "'" + strings.ReplaceAll(x, "'", `\'`) + "'"
	}
	return fmt.Sprint(v)
}
