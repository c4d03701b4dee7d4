package review

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/go-analyze/charts"

	"github.com/oobe-emu/oobe/flow"
)

// csp is the Content-Security-Policy of every page review writes: nothing is fetched, not
// even from the page's own folder but its pictures; styles are inline.
const csp = "default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'"

// pageCSS is the style shared by the report, the gallery and the diff.
const pageCSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1b1b;background:#fafafa;max-width:100%}
h1{font-size:1.6em;margin:0 0 .3em} h2{font-size:1.25em;margin:1.4em 0 .4em} h3{font-size:1.05em;margin:1em 0 .3em}
table{border-collapse:collapse;margin:.4em 0 1em;max-width:100%} td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;font-size:.92em;overflow-wrap:anywhere}
th{background:#eee} .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.runs{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:24px}
.run{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;min-width:0;overflow-x:auto}
.err{color:#a4262c} .muted{color:#666} .chart svg{max-width:100%;height:auto}
figure{margin:0 0 1.5em} figure img{max-width:100%;height:auto;border:1px solid #ccc;display:block}
figcaption{font-size:.9em;color:#444;margin:.3em 0}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px} .pair>div{min-width:0}
.pair img{max-width:100%;height:auto;display:block;border:1px solid #ccc}
code{font-size:.95em}
`

// Report writes one self-contained HTML page for runs: for each, the path through the
// screens with timings, the answers, the errors with their codes and the buttons pressed
// after them, and a chart of the steps' and ESP phases' durations; several runs side by side.
func Report(w io.Writer, runs []*Run) error {
	chart, err := durationChart(runs)
	if err != nil {
		return err
	}
	data := struct {
		CSP     template.HTML
		CSS     template.CSS
		Runs    []*Run
		Chart   template.HTML
		Compare *comparison
	}{template.HTML(csp), template.CSS(pageCSS), runs, chart, nil}
	if len(runs) > 1 {
		data.Compare = compare(runs)
	}
	return reportTmpl.Execute(w, data)
}

// comparison is the runs' durations step by step, one column a run.
type comparison struct {
	Runs []*Run
	Rows []compareRow
}

type compareRow struct {
	Label string
	Cells []string
}

func compare(runs []*Run) *comparison {
	c := &comparison{Runs: runs}
	labels := []string{}
	seen := map[string]bool{}
	for _, r := range runs {
		for _, l := range r.barLabels() {
			if !seen[l] {
				seen[l] = true
				labels = append(labels, l)
			}
		}
	}
	for _, l := range labels {
		row := compareRow{Label: l}
		for _, r := range runs {
			if d, ok := r.bars()[l]; ok {
				row.Cells = append(row.Cells, fmtDur(d))
			} else {
				row.Cells = append(row.Cells, "–")
			}
		}
		c.Rows = append(c.Rows, row)
	}
	row := compareRow{Label: "outcome"}
	for _, r := range runs {
		row.Cells = append(row.Cells, r.OutcomeText())
	}
	c.Rows = append(c.Rows, row)
	return c
}

// barLabels are the steps (in order of first visit) and the ESP phases of the run.
func (r *Run) barLabels() []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range r.Visits {
		if !seen[string(v.Step)] {
			seen[string(v.Step)] = true
			out = append(out, string(v.Step))
		}
	}
	for _, p := range r.Phases {
		out = append(out, "ESP "+string(p.Phase))
	}
	return out
}

// bars are the run's durations by label: a step's visits added up, each ESP phase.
func (r *Run) bars() map[string]time.Duration {
	m := map[string]time.Duration{}
	for _, v := range r.Visits {
		m[string(v.Step)] += v.Duration(r)
	}
	for _, p := range r.Phases {
		if p.Duration >= 0 {
			m["ESP "+string(p.Phase)] += p.Duration
		}
	}
	return m
}

// durationChart is a horizontal bar chart (SVG) of the durations in seconds, a series a run.
func durationChart(runs []*Run) (template.HTML, error) {
	var labels []string
	seen := map[string]bool{}
	for _, r := range runs {
		for _, l := range r.barLabels() {
			if !seen[l] {
				seen[l] = true
				labels = append(labels, l)
			}
		}
	}
	if len(labels) == 0 {
		return "", nil
	}
	var values [][]float64
	var names []string
	for _, r := range runs {
		b := r.bars()
		row := make([]float64, len(labels))
		for i, l := range labels {
			row[i] = b[l].Seconds()
		}
		values = append(values, row)
		names = append(names, r.ID)
	}
	opt := charts.NewBarChartOptionWithData(values)
	opt.Horizontal = true
	opt.Title.Text = "Time on each step and ESP phase (emulated seconds)"
	opt.Legend.SeriesNames = names
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	opt.Padding = charts.Box{Top: 20, Right: 40, Bottom: 20, Left: 20}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: 900, Height: 120 + 24*len(labels)*max(1, len(runs))})
	if err := p.BarChart(opt); err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	svg, err := p.Bytes()
	if err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:]
	}
	return template.HTML(svg), nil
}

// OutcomeText says how the run ended.
func (r *Run) OutcomeText() string {
	switch r.Outcome {
	case "":
		return "did not end (the record stops here)"
	case "signal":
		return "ended by " + r.Reason
	}
	return r.Outcome
}

// Total is the run's emulated length.
func (r *Run) Total() string { return fmtDur(r.End.Sub(r.At0)) }

// Offset is t as a time since the run's start.
func (r *Run) Offset(t time.Time) string { return fmtDur(t.Sub(r.At0)) }

// fmtDur writes d as 1 h 2 min 3 s, 2 min 3 s or 3.4 s.
func fmtDur(d time.Duration) string {
	switch {
	case d < 0:
		return "–"
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}

// AnswerRows are the run's last answers as label and value.
func (r *Run) AnswerRows() [][2]string {
	a := r.Answers
	var rows [][2]string
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, [2]string{k, v})
		}
	}
	add("Language", a.Language)
	add("Region", a.Region)
	add("Keyboard", a.Keyboard)
	add("Second keyboard", a.Keyboard2)
	add("Network", a.Network)
	if a.Network != "" {
		add("Connect automatically", fmt.Sprint(a.ConnectAutomatically))
	}
	if a.EULAAccepted {
		add("License", "accepted")
	}
	add("User", a.UPN)
	if len(a.Privacy) > 0 {
		var parts []string
		for _, k := range flow.PrivacyToggles(flow.Windows10) {
			if on, ok := a.Privacy[k]; ok {
				parts = append(parts, fmt.Sprintf("%s %s", k, map[bool]string{true: "on", false: "off"}[on]))
			}
		}
		add("Privacy", strings.Join(parts, ", "))
	}
	add("Device name", a.DeviceName)
	return rows
}

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"dur":  fmtDur,
	"join": strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>oobe run report</title><style>{{.CSS}}</style></head>
<body>
<h1>oobe run report</h1>
<p class="muted">{{len .Runs}} run{{if gt (len .Runs) 1}}s, side by side{{end}}. Times are the emulated device's (the same at every speed). The record holds no secret, so neither does this page.</p>
{{if .Compare}}<h2>The runs compared</h2>
<table><tr><th></th>{{range .Compare.Runs}}<th>{{.ID}}<br><span class="muted">{{.File}}</span></th>{{end}}</tr>
{{range .Compare.Rows}}<tr><th>{{.Label}}</th>{{range .Cells}}<td class="num">{{.}}</td>{{end}}</tr>{{end}}</table>{{end}}
{{if .Chart}}<h2>Durations</h2><div class="chart">{{.Chart}}</div>{{end}}
<div class="runs">
{{range $r := .Runs}}<section class="run" id="run-{{.ID}}">
<h2>Run {{.ID}}</h2>
<table>
<tr><th>Record</th><td>{{.File}}</td></tr>
<tr><th>Started</th><td>{{.Began.Format "2006-01-02 15:04:05 MST"}}</td></tr>
<tr><th>Windows</th><td>{{.Start.Windows}}, {{.Start.Locale}}{{if .Start.Frontend}}, {{.Start.Frontend}}{{end}}</td></tr>
{{if .Start.Serial}}<tr><th>Serial</th><td>{{.Start.Serial}}</td></tr>{{end}}
<tr><th>Outcome</th><td>{{.OutcomeText}}</td></tr>
<tr><th>Length</th><td>{{.Total}}{{if .Replayed}} (an answers file played it){{end}}</td></tr>
</table>
<h3>Path through the screens</h3>
<table><tr><th>Step</th><th>At</th><th>Time on it</th><th>Answers</th><th>Buttons</th><th>Errors</th></tr>
{{range .Visits}}<tr><td>{{.Step}}</td><td class="num">{{$r.Offset .Enter}}</td><td class="num">{{dur (.Duration $r)}}</td><td>{{join .Answers "; "}}</td><td>{{join .Buttons ", "}}</td><td class="err">{{join .Errors ", "}}</td></tr>
{{end}}</table>
{{with .Plans}}<h3>Plan changes</h3><ul>{{range .}}<li>{{.Reason}}: {{range $i, $s := .Steps}}{{if $i}}, {{end}}{{$s}}{{end}}</li>{{end}}</ul>{{end}}
<h3>Answers</h3>
{{with .AnswerRows}}<table>{{range .}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table>{{else}}<p class="muted">none</p>{{end}}
<h3>Errors</h3>
{{with .Errors}}<table><tr><th>At</th><th>Step</th><th>Error</th><th>Code</th><th>Where</th><th>Then pressed</th></tr>
{{range .}}<tr><td class="num">{{dur .At}}</td><td>{{.Step}}</td><td class="err">{{.Error}}{{if .Detail}}<br><span class="muted">{{.Detail}}</span>{{end}}</td><td><code>{{.Code}}</code></td><td>{{.Phase}}{{if .Item}} {{.Item}}{{end}}</td><td>{{join .Then ", "}}</td></tr>
{{end}}</table>{{else}}<p class="muted">none</p>{{end}}
<h3>ESP phases</h3>
{{with .Phases}}<table>{{range .}}<tr><th>{{.Phase}}</th><td class="num">{{dur .Duration}}</td></tr>{{end}}</table>{{else}}<p class="muted">the run did not reach the ESP</p>{{end}}
</section>
{{end}}</div>
</body></html>
`))
