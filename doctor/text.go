package doctor

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report as a table for people: one row per check with
// its verdict, then what it saw and, for warnings and failures, the fix.
func (rep Report) WriteText(w io.Writer) error {
	var b strings.Builder
	counts := map[Status]int{}
	for _, r := range rep.Results {
		counts[r.Status]++
		fmt.Fprintf(&b, "%d  %-7s %s\n", r.Step, strings.ToUpper(string(r.Status)), r.Name)
		for _, s := range r.Saw {
			fmt.Fprintf(&b, "           saw: %s\n", s)
		}
		for _, f := range r.Fix {
			fmt.Fprintf(&b, "           fix: %s\n", f)
		}
	}
	fmt.Fprintf(&b, "\n%d checks: %d ok, %d warn, %d fail, %d skipped\n", len(rep.Results),
		counts[StatusOK], counts[StatusWarn], counts[StatusFail], counts[StatusSkipped])
	_, err := io.WriteString(w, b.String())
	return err
}
