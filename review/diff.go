package review

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// Change is one thing employees would see differently with B's settings than with A's.
type Change struct {
	// Area is the screen or the part of the deployment ("screens", "signin", "esp-device" …).
	Area string
	// What changed, in words; Before and After are the values ("" when there is none).
	What, Before, After string
	// Why is the setting behind it.
	Why string
	// Step is the screen the change is on ("" when it is not one screen's).
	Step flow.StepID
}

// String is the change as one line.
func (c Change) String() string {
	s := c.Area + ": " + c.What
	if c.Before != "" || c.After != "" {
		s += fmt.Sprintf(": %s → %s", orNone(c.Before), orNone(c.After))
	}
	if c.Why != "" {
		s += " (" + c.Why + ")"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return fmt.Sprintf("%q", s)
}

// Diff lists what an employee of a's tenant would see differently with b's settings on the
// same device (Windows release windows): screens added or removed and why, the texts of the
// branding and the ESP, the buttons, the ESP timeout, the device name.
func Diff(a, b *sim.World, windows flow.WindowsVersion) []Change {
	var out []Change
	pa, pb := PlanOf(a, windows), PlanOf(b, windows)
	for i := range pa {
		x, y := pa[i], pb[i]
		switch {
		case x.Shown && !y.Shown:
			out = append(out, Change{Area: "screens", Step: x.Step, What: "- " + string(x.Step) + " removed", Why: y.Reason})
		case !x.Shown && y.Shown:
			out = append(out, Change{Area: "screens", Step: y.Step, What: "+ " + string(y.Step) + " added", Why: y.Reason})
		}
	}
	text := func(area string, step flow.StepID, what, before, after, why string) {
		if strings.TrimSpace(before) != strings.TrimSpace(after) {
			out = append(out, Change{Area: area, Step: step, What: what, Before: before, After: after, Why: why})
		}
	}
	flag := func(area string, step flow.StepID, what string, before, after bool, why string) {
		if before != after {
			out = append(out, Change{Area: area, Step: step, What: what, Before: shownWord(before), After: shownWord(after), Why: why})
		}
	}
	xa, xb := a.Profile, b.Profile
	text("organization", "", "organization name", a.Organization.DisplayName, b.Organization.DisplayName, "organization.displayName")
	// the sign-in page
	flag("signin", flow.StepSignIn, "escape link (Sign in with another account / Start over)", !xa.EscapeLinkHidden, !xb.EscapeLinkHidden, "hideEscapeLink")
	locales := slices.Clone(a.Scenario.DisplayLanguages)
	for _, l := range b.Scenario.DisplayLanguages {
		if !slices.Contains(locales, l) {
			locales = append(locales, l)
		}
	}
	if len(locales) == 0 {
		locales = []string{"en-US"}
	}
	for _, loc := range locales {
		ba, bb := a.Branding.For(loc), b.Branding.For(loc)
		suffix := ""
		if len(locales) > 1 {
			suffix = " (" + loc + ")"
		}
		text("signin", flow.StepSignIn, "sign-in page text"+suffix, ba.SignInPageText, bb.SignInPageText, "branding signInPageText")
		text("signin", flow.StepSignIn, "username hint"+suffix, ba.UsernameHint, bb.UsernameHint, "branding usernameHint")
		text("signin", flow.StepSignIn, "background colour"+suffix, ba.BackgroundColor, bb.BackgroundColor, "branding backgroundColor")
		text("signin", flow.StepSignIn, "square logo"+suffix, ba.SquareLogoURL, bb.SquareLogoURL, "branding squareLogo")
	}
	ida, idb := assigned(a), assigned(b)
	text("signin", flow.StepSignIn, "assigned user (pre-filled)", ida, idb, "the Autopilot device's assigned user")
	// the ESP
	ea, eb := xa.ESP, xb.ESP
	if ea.Show && eb.Show {
		text("esp-device", flow.StepESPDevice, "error message", espMessage(ea), espMessage(eb), "ESP customErrorMessage")
		if ea.TimeoutMinutes != eb.TimeoutMinutes {
			out = append(out, Change{Area: "esp-device", Step: flow.StepESPDevice, What: "timeout per phase", Before: fmt.Sprintf("%d min", ea.TimeoutMinutes), After: fmt.Sprintf("%d min", eb.TimeoutMinutes), Why: "ESP installProgressTimeoutInMinutes"})
		}
		ba, bb := flow.Buttons(ea, windows), flow.Buttons(eb, windows)
		for _, btn := range []struct {
			name   string
			before bool
			after  bool
		}{
			{"Try again", ba.TryAgain, bb.TryAgain}, {"Reset device", ba.Reset, bb.Reset},
			{"Continue anyway", ba.Continue, bb.Continue}, {"Collect logs", ba.CollectLogs, bb.CollectLogs},
			{"View diagnostics", ba.Diagnostics, bb.Diagnostics},
		} {
			flag("esp-device", flow.StepESPDevice, "button "+btn.name+" on failure", btn.before, btn.after, "ESP settings on installation failure")
		}
		flag("esp-account", flow.StepESPAccount, "Account setup shown to every user", !ea.OnlyFirstUser, !eb.OnlyFirstUser, "ESP disableUserStatusTrackingAfterFirstUser")
	}
	text("desktop", flow.StepDesktop, "device name", deviceName(a), deviceName(b), "profile deviceNameTemplate")
	text("whfb", flow.StepHello, "Windows Hello for Business", string(xa.Hello.State), string(xb.Hello.State), "Windows Hello policy")
	return out
}

func shownWord(b bool) string {
	if b {
		return "shown"
	}
	return "hidden"
}

func assigned(w *sim.World) string {
	if w.DeviceIdentity == nil {
		return ""
	}
	return w.DeviceIdentity.UPN
}

// espMessage is the text the ESP shows on failure ("" for Windows' own).
func espMessage(e flow.ESPConfig) string {
	if m := strings.TrimSpace(e.CustomErrorMessage); m != "" {
		return m
	}
	return "(Windows' default message)"
}

// deviceName is the name the device gets, as the simulated device chooses it (seed 1).
func deviceName(w *sim.World) string {
	n, err := sim.New(w, sim.Options{Seed: 1}).DeviceName(context.Background())
	if err != nil {
		return ""
	}
	return n
}

// WriteDiff writes the changes as text, one a line, "no difference" when there is none.
func WriteDiff(w io.Writer, nameA, nameB string, changes []Change) error {
	var b strings.Builder
	fmt.Fprintf(&b, "What employees see differently with %s instead of %s:\n", nameB, nameA)
	if len(changes) == 0 {
		b.WriteString("  no difference on screen\n")
	}
	for _, c := range changes {
		b.WriteString("  " + c.String() + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// DiffPictures renders the screens of both tenants in look (into out/a and out/b) and writes
// out/index.html: the changes, then every screen whose picture differs side by side, and
// the screens only one of them has.
func DiffPictures(out, nameA, nameB string, loadA, loadB func() (*sim.World, error), look Look, changes []Change) error {
	ga, err := Screens(ScreensOptions{Load: loadA, Looks: []Look{look}, Formats: []string{"txt", "png"}, Out: filepath.Join(out, "a")})
	if err != nil {
		return fmt.Errorf("%s: %w", nameA, err)
	}
	gb, err := Screens(ScreensOptions{Load: loadB, Looks: []Look{look}, Formats: []string{"txt", "png"}, Out: filepath.Join(out, "b")})
	if err != nil {
		return fmt.Errorf("%s: %w", nameB, err)
	}
	type pair struct {
		Key    string
		A, B   string // image paths relative to out ("" when that side has no such screen)
		Reason string
	}
	key := func(p *Picture) string { return string(p.Step) + " " + p.State }
	bIndex := map[string]*Picture{}
	for _, p := range gb.Looks[0].Pictures {
		bIndex[key(p)] = p
	}
	aKeys := map[string]bool{}
	var pairs []pair
	for _, p := range ga.Looks[0].Pictures {
		k := key(p)
		aKeys[k] = true
		q := bIndex[k]
		switch {
		case q == nil:
			pairs = append(pairs, pair{Key: k, A: "a/" + p.Files["png"], Reason: "only with " + nameA})
		case q.Text != p.Text:
			pairs = append(pairs, pair{Key: k, A: "a/" + p.Files["png"], B: "b/" + q.Files["png"], Reason: "changed"})
		}
	}
	for _, q := range gb.Looks[0].Pictures {
		if !aKeys[key(q)] {
			pairs = append(pairs, pair{Key: key(q), B: "b/" + q.Files["png"], Reason: "only with " + nameB})
		}
	}
	var page bytes.Buffer
	err = diffTmpl.Execute(&page, struct {
		CSP     template.HTML
		CSS     template.CSS
		A, B    string
		Changes []Change
		Pairs   []pair
		Look    Look
	}{template.HTML(csp), template.CSS(pageCSS), nameA, nameB, changes, pairs, look})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "index.html"), page.Bytes(), 0o644)
}

var diffTmpl = template.Must(template.New("diff").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>oobe diff</title><style>{{.CSS}}</style></head>
<body>
<h1>What employees see differently</h1>
<p>A: <code>{{.A}}</code> · B: <code>{{.B}}</code> · {{.Look.Theme}}, {{.Look.Locale}}, Windows {{.Look.Windows}}, {{.Look.W}}×{{.Look.H}}</p>
<h2>Changes</h2>
{{with .Changes}}<table><tr><th>Where</th><th>What</th><th>A</th><th>B</th><th>Setting</th></tr>
{{range .}}<tr><td>{{.Area}}</td><td>{{.What}}</td><td>{{.Before}}</td><td>{{.After}}</td><td>{{.Why}}</td></tr>{{end}}</table>{{else}}<p>No difference on screen.</p>{{end}}
<h2>Screens that differ</h2>
{{range .Pairs}}<h3>{{.Key}} <span class="muted">({{.Reason}})</span></h3>
<div class="pair"><div>{{if .A}}<img src="{{.A}}" width="{{$.Look.PixelW}}" height="{{$.Look.PixelH}}" alt="A: {{.Key}}">{{else}}<p class="muted">not shown with A</p>{{end}}</div>
<div>{{if .B}}<img src="{{.B}}" width="{{$.Look.PixelW}}" height="{{$.Look.PixelH}}" alt="B: {{.Key}}">{{else}}<p class="muted">not shown with B</p>{{end}}</div></div>
{{else}}<p class="muted">Every screen is the same picture.</p>{{end}}
</body></html>
`))
