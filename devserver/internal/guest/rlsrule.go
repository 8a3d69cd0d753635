package guest

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// noDataset is the dataset of a rule whose dataset matches none: Superset
// compares str(rule["dataset"]) with the dataset's id, so a value such as
// "abc", 1.5 or "0" never matches, while 0, "" and null apply everywhere.
const noDataset = math.MinInt32

// UnmarshalJSON reads a rule from a token as Superset does: the dataset may
// be a number or a string ("7" applies to dataset 7), since hosts that sign
// their own tokens write either.
func (r *RLSRule) UnmarshalJSON(b []byte) error {
	var raw struct {
		Dataset any    `json:"dataset"`
		Clause  string `json:"clause"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	r.Clause = raw.Clause
	r.Dataset = nil
	switch v := raw.Dataset.(type) {
	case json.Number:
		n := noDataset
		if i, err := v.Int64(); err == nil && i == int64(int32(i)) {
			n = int(i)
		}
		r.Dataset = &n
	case string:
		if v == "" {
			return nil // falsy: every dataset
		}
		n, err := strconv.Atoi(v)
		if err != nil || n == 0 || strconv.Itoa(n) != v {
			n = noDataset
		}
		r.Dataset = &n
	}
	return nil
}
