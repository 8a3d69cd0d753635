package data

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// renderChartSVG draws a chart result as a small, readable SVG: labelled
// axes, values written out and a <title> per mark, so it reads without
// hovering and tests can find values in the markup. Every text is escaped.
func renderChartSVG(c Chart, res *chartResult) string {
	switch c.Viz {
	case "big_number":
		return svgBigNumber(c, res)
	case "line":
		return svgLine(c, res)
	case "table":
		return svgTable(c, res)
	default:
		return svgBars(c, res)
	}
}

// esc escapes text for SVG (XML) content and attributes.
func esc(s string) string { return html.EscapeString(s) }

// svgOpen writes the root element with an accessible name.
func svgOpen(b *strings.Builder, c Chart, w, h int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" data-chart-id="%d" data-viz="%s">`,
		w, h, esc(c.Name), c.ID, esc(c.Viz))
	fmt.Fprintf(b, `<title>%s</title>`, esc(c.Name))
}

// svgEmpty is what a chart shows when RLS or filters leave no rows.
func svgEmpty(c Chart) string {
	var b strings.Builder
	svgOpen(&b, c, 360, 60)
	b.WriteString(`<text x="180" y="35" text-anchor="middle" class="empty">No results</text></svg>`)
	return b.String()
}

// num reads a numeric cell.
func num(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case int:
		return float64(x)
	}
	return 0
}

// cellText writes any cell as text.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return "∅"
	case string:
		return x
	case int64, float64, int:
		return formatNumber(num(x))
	}
	return fmt.Sprint(v)
}

// formatNumber writes 1234567 as 1,234,567.
func formatNumber(f float64) string {
	neg := f < 0
	s := strconv.FormatInt(int64(math.Round(math.Abs(f))), 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// svgBars draws horizontal bars: label, bar, value.
func svgBars(c Chart, res *chartResult) string {
	if res.Rowcount == 0 {
		return svgEmpty(c)
	}
	labelCol, valueCol := res.Colnames[0], res.Colnames[len(res.Colnames)-1]
	const rowH, labelW, barW = 24, 90, 200
	h := rowH*res.Rowcount + 10
	var b strings.Builder
	svgOpen(&b, c, 360, h)
	max := 0.0
	for _, r := range res.Data {
		max = math.Max(max, num(r[valueCol]))
	}
	for i, r := range res.Data {
		y := 5 + i*rowH
		v := num(r[valueCol])
		w := 0.0
		if max > 0 {
			w = v / max * barW
		}
		label, val := cellText(r[labelCol]), formatNumber(v)
		fmt.Fprintf(&b, `<g class="mark" data-label="%s" data-value="%s">`, esc(label), strconv.FormatFloat(v, 'f', -1, 64))
		fmt.Fprintf(&b, `<title>%s: %s</title>`, esc(label), val)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-6, y+15, esc(label))
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" rx="2"/>`, labelW, y+3, w, rowH-6)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`, float64(labelW)+w+4, y+15, val)
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// svgLine draws a line over an ordered x column.
func svgLine(c Chart, res *chartResult) string {
	if res.Rowcount == 0 {
		return svgEmpty(c)
	}
	xCol, yCol := res.Colnames[0], res.Colnames[len(res.Colnames)-1]
	const w, h, left, right, top, bottom = 360, 170, 56, 10, 10, 30
	max := 0.0
	for _, r := range res.Data {
		max = math.Max(max, num(r[yCol]))
	}
	if max == 0 {
		max = 1
	}
	var b strings.Builder
	svgOpen(&b, c, w, h)
	plotW, plotH := float64(w-left-right), float64(h-top-bottom)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, h-bottom, w-right, h-bottom)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, top, left, h-bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left-4, top+8, formatNumber(max))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">0</text>`, left-4, h-bottom)
	var pts []string
	step := plotW
	if res.Rowcount > 1 {
		step = plotW / float64(res.Rowcount-1)
	}
	for i, r := range res.Data {
		x := float64(left) + float64(i)*step
		if res.Rowcount == 1 {
			x = float64(left) + plotW/2
		}
		y := float64(top) + plotH*(1-num(r[yCol])/max)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		label := cellText(r[xCol])
		fmt.Fprintf(&b, `<circle class="dot mark" cx="%.1f" cy="%.1f" r="3" data-label="%s" data-value="%s"><title>%s: %s</title></circle>`,
			x, y, esc(label), strconv.FormatFloat(num(r[yCol]), 'f', -1, 64), esc(label), formatNumber(num(r[yCol])))
		if i%3 == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x, h-bottom+16, esc(label))
		}
	}
	fmt.Fprintf(&b, `<polyline class="line" points="%s"/>`, strings.Join(pts, " "))
	b.WriteString(`</svg>`)
	return b.String()
}

// svgBigNumber writes the first value large, the second as a caption.
func svgBigNumber(c Chart, res *chartResult) string {
	var b strings.Builder
	svgOpen(&b, c, 360, 90)
	if res.Rowcount == 0 || res.Data[0][res.Colnames[0]] == nil {
		b.WriteString(`<text x="180" y="50" text-anchor="middle" class="big mark" data-value="">∅</text></svg>`)
		return b.String()
	}
	v := num(res.Data[0][res.Colnames[0]])
	fmt.Fprintf(&b, `<text x="180" y="50" text-anchor="middle" class="big mark" data-value="%s">%s</text>`,
		strconv.FormatFloat(v, 'f', -1, 64), formatNumber(v))
	if len(res.Colnames) > 1 {
		fmt.Fprintf(&b, `<text x="180" y="78" text-anchor="middle">%s %s</text>`,
			esc(cellText(res.Data[0][res.Colnames[1]])), esc(res.Colnames[1]))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// svgTable writes the rows as a text grid.
func svgTable(c Chart, res *chartResult) string {
	const rowH, colW = 20, 85
	w := colW * len(res.Colnames)
	h := rowH*(max(res.Rowcount, 1)+1) + 8
	var b strings.Builder
	svgOpen(&b, c, w, h)
	for j, col := range res.Colnames {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="600">%s</text>`, 4+j*colW, 15, esc(col))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="0" y1="%d" x2="%d" y2="%d"/>`, rowH, w, rowH)
	for i, r := range res.Data {
		fmt.Fprintf(&b, `<g class="mark row" data-row="%d">`, i)
		for j, col := range res.Colnames {
			fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, 4+j*colW, rowH*(i+2)-5, esc(cellText(r[col])))
		}
		b.WriteString(`</g>`)
	}
	if res.Rowcount == 0 {
		fmt.Fprintf(&b, `<text x="4" y="%d">No results</text>`, rowH*2-5)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
