package data

import "testing"

func TestSelfContained(t *testing.T) {
	for clause, ok := range map[string]bool{
		"tenant = 'acme'": true, "(a = 1) OR (b = 2)": true, "tenant = ')'": true, `"odd)col" = 1`: true,
		"x = 1 -- )": true, "x = 1 /* ) */": true, "[a)b] = 1": true, "`a)b` = 1": true, "name = 'O''Brien)'": true,
		"1=1) OR (1=1": false, "x = 1)": false, "(x = 1": false, "1; DELETE FROM orders": false, "x /* )": false,
	} {
		if err := selfContained(clause); (err == nil) != ok {
			t.Errorf("selfContained(%q) = %v, want ok=%v", clause, err, ok)
		}
	}
}
