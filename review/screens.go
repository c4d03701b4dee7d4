package review

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/internal/shot"
)

// Formats are the picture formats oobe screens writes.
var Formats = []string{"txt", "ansi", "svg", "png", "html"}

// ScreensOptions say what oobe screens renders and where.
type ScreensOptions struct {
	// Load gives a fresh copy of the tenant for each walk (a fault changes its copy).
	Load func() (*sim.World, error)
	// Looks are the themes, languages, releases and sizes to render.
	Looks []Look
	// Formats are the files written for every picture (html: the gallery index.html).
	Formats []string
	// Out is the directory written (created when missing).
	Out string
	// Log, when set, gets a line for each look rendered.
	Log io.Writer
}

// Picture is one screen in one state, in one look.
type Picture struct {
	Seq     int
	Step    flow.StepID
	State   string
	Caption string
	// Files are the files written, by format, relative to the output directory.
	Files map[string]string
	// Text is the screen as plain text (the gallery's alt text).
	Text string
}

// Gallery is what oobe screens rendered.
type Gallery struct {
	Tenant string
	Looks  []LookPictures
	Plan   []PlanLine
}

// LookPictures are the pictures of one look, in the order of the deployment.
type LookPictures struct {
	Look     Look
	Pictures []*Picture
}

// state is a walk that ends in a state worth a picture: a fresh run of the tenant, changed
// by tweak, walked until it cannot go on (a fault) or until stop holds.
type state struct {
	name, caption string
	tweak         func(*sim.World) error
	user          func(*sim.World) (sim.ScenarioUser, bool)
	until         func(*session) bool
	// then, when set, does more after the picture of the state (the diagnostics page).
	then func(*session, func(state, caption string) error) error
}

// states are the walks after the tour: the sign-in's errors, each MFA, every fault of the
// catalogue that applies to the tenant, the restart.
func states(w *sim.World) []state {
	var out []state
	domain := w.Organization.DefaultDomain
	if domain == "" {
		domain = "example.com"
	}
	out = append(out,
		state{name: "unknown-user", caption: "a user name the tenant does not know", user: func(w *sim.World) (sim.ScenarioUser, bool) {
			if id := w.DeviceIdentity; id != nil && id.UPN != "" {
				return sim.ScenarioUser{}, false // the assigned user's name is filled in
			}
			return sim.ScenarioUser{UPN: "nobody@" + domain, Password: "x"}, true
		}},
		state{name: "wrong-password", caption: "a wrong password", user: func(w *sim.World) (sim.ScenarioUser, bool) {
			u, ok := happyUser(w)
			u.Password += "-wrong"
			return u, ok
		}},
	)
	for _, mfa := range []struct {
		name, caption string
		match         func(sim.ScenarioUser) bool
	}{
		{"mfa-code", "a user whose MFA is a code", func(u sim.ScenarioUser) bool { return u.MFA == flow.MFACode && !u.MFADeny }},
		{"mfa-denied", "a user who denies the Authenticator request", func(u sim.ScenarioUser) bool { return u.MFADeny }},
		{"enroll-error", "a user whose enrollment fails", func(u sim.ScenarioUser) bool { return u.EnrollError != "" || !u.Licensed }},
	} {
		out = append(out, state{name: mfa.name, caption: mfa.caption, user: func(w *sim.World) (sim.ScenarioUser, bool) {
			for _, u := range w.Scenario.Users {
				if mfa.match(u) {
					return u, true
				}
			}
			return sim.ScenarioUser{}, false
		}, until: func(s *session) bool {
			si := s.r.SignIn()
			return si != nil && s.d.Step() == flow.StepSignIn && (si.State == run.SignMFACode && mfa.name == "mfa-code")
		}})
	}
	hybrid := w.Profile.Join == flow.JoinHybrid
	diagnosticsShown := false
	for _, f := range sim.Faults() {
		if f.HybridOnly && !hybrid {
			continue
		}
		st := state{name: "fault-" + f.Name, caption: f.Description + " (--fault " + f.Name + ")", tweak: func(w *sim.World) error { return sim.ApplyFault(w, f.Name) }}
		if strings.Contains(f.Where, "Enrollment Status Page") {
			// the first ESP failure also shows the diagnostics page (Windows 11)
			st.then = func(s *session, shoot func(string, string) error) error {
				if e := s.r.ESPStep(); diagnosticsShown || e == nil || e.State != run.ESPFailed {
					return nil
				}
				if err := s.d.Press("ctrl+d"); err != nil {
					return err
				}
				if !s.d.Sees("Windows Autopilot diagnostics") {
					return nil
				}
				diagnosticsShown = true
				return shoot("diagnostics", "the Windows Autopilot diagnostics page (Ctrl+Shift+D)")
			}
		}
		out = append(out, st)
	}
	if w.Profile.ESP.Show {
		// Account setup fails and times out as Device setup does with the faults above
		limit := max(w.Profile.ESP.TimeoutMinutes, 60)
		out = append(out,
			state{name: "account-app-failed", caption: "a required user app fails in Account setup", tweak: func(w *sim.World) error {
				blocks := w.Profile.ESP.BlockingSet()
				for i, a := range w.Scenario.Apps {
					if a.Context == sim.ContextUser && blocks(a.ID) {
						w.Scenario.Apps[i].FailCode, w.Scenario.Apps[i].FailTimes, w.Scenario.Apps[i].FailFor = "0x80070643", 0, nil
						return nil
					}
				}
				// none: a required one is added (to the ESP's blocking apps when it lists them)
				w.Scenario.Apps = append(w.Scenario.Apps, sim.ScenarioApp{ID: "review-user-app", Name: "Team site sync", Context: sim.ContextUser, Seconds: 30, FailCode: "0x80070643"})
				if len(w.Profile.ESP.BlockingAppIDs) > 0 {
					w.Profile.ESP.BlockingAppIDs = append(w.Profile.ESP.BlockingAppIDs, "review-user-app")
				}
				return nil
			}},
			state{name: "account-timeout", caption: "a user app installs longer than the ESP timeout", tweak: func(w *sim.World) error {
				w.Scenario.Apps = append(w.Scenario.Apps, sim.ScenarioApp{ID: "review-user-app", Name: "Training videos (large)", Context: sim.ContextUser, Seconds: float64(limit * 60 * 2)})
				return nil
			}},
		)
	}
	out = append(out, state{name: "restart", caption: "the device restarts during Device setup",
		tweak: func(w *sim.World) error { w.Scenario.DeviceSetupReboot = true; return nil },
		until: func(s *session) bool { e := s.r.ESPStep(); return e != nil && e.State == run.ESPRestarting }})
	return out
}

// Screens renders every screen of the tenant's plan in every notable state, in every look,
// into opts.Out, with the gallery index.html when the formats include html.
func Screens(opts ScreensOptions) (*Gallery, error) {
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	w, err := opts.Load()
	if err != nil {
		return nil, err
	}
	g := &Gallery{Tenant: tenantName(w)}
	for _, look := range opts.Looks {
		lp, err := renderLook(opts, look)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", look.Name(), err)
		}
		g.Looks = append(g.Looks, lp)
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "%s: %d pictures\n", look.Name(), len(lp.Pictures))
		}
	}
	if len(opts.Looks) > 0 {
		g.Plan = PlanOf(w, opts.Looks[0].Windows)
	}
	if slices.Contains(opts.Formats, "html") {
		var b bytes.Buffer
		if err := galleryTmpl.Execute(&b, struct {
			CSP template.HTML
			CSS template.CSS
			G   *Gallery
		}{template.HTML(csp), template.CSS(pageCSS), g}); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(opts.Out, "index.html"), b.Bytes(), 0o644); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func tenantName(w *sim.World) string {
	if w.Organization.DisplayName != "" {
		return w.Organization.DisplayName
	}
	return "the tenant"
}

// renderLook walks the tour and every state in one look.
func renderLook(opts ScreensOptions, look Look) (LookPictures, error) {
	lp := LookPictures{Look: look}
	seq := 0
	shootFor := func(s *session) func(state, caption string) error {
		return func(st, caption string) error {
			seq++
			p, err := writePicture(opts, look, seq, s.d.Step(), st, caption, s)
			if err != nil {
				return err
			}
			lp.Pictures = append(lp.Pictures, p)
			return nil
		}
	}
	// the tour: every page of the plan as a person answering it sees it
	w, err := opts.Load()
	if err != nil {
		return lp, err
	}
	user, ok := happyUser(w)
	if !ok {
		return lp, fmt.Errorf("the scenario has no user whose sign-in goes through")
	}
	s, err := newSession(w, look)
	if err != nil {
		return lp, err
	}
	s.shoot = shootFor(s)
	err = s.walk(walkOptions{user: user})
	s.close()
	if err != nil && !errors.Is(err, errStuck) {
		return lp, fmt.Errorf("tour: %w", err)
	}
	for _, st := range states(w) {
		w, err := opts.Load()
		if err != nil {
			return lp, err
		}
		// the user is chosen in the tenant as it is: a fault may turn every user's MFA down
		u, ok := happyUser(w)
		if st.user != nil {
			u, ok = st.user(w)
		}
		if st.tweak != nil {
			if err := st.tweak(w); err != nil {
				return lp, err
			}
		}
		if !ok {
			continue // the scenario has nobody in that situation
		}
		s, err := newSession(w, look)
		if err != nil {
			return lp, err
		}
		err = s.walk(walkOptions{user: u, until: st.until})
		if err == nil && s.d.Step() == flow.StepDesktop && st.until == nil {
			s.close() // the fault changed nothing a person sees for this tenant
			continue
		}
		if err != nil && !errors.Is(err, errStuck) {
			s.close()
			return lp, fmt.Errorf("%s: %w", st.name, err)
		}
		shoot := shootFor(s)
		if err := shoot(st.name, st.caption); err != nil {
			s.close()
			return lp, err
		}
		if st.then != nil {
			if err := st.then(s, shoot); err != nil {
				s.close()
				return lp, fmt.Errorf("%s: %w", st.name, err)
			}
		}
		s.close()
	}
	return lp, nil
}

// writePicture writes the screen of s in every format asked for.
func writePicture(opts ScreensOptions, look Look, seq int, step flow.StepID, st, caption string, s *session) (*Picture, error) {
	g, err := s.d.Picture()
	if err != nil {
		return nil, err
	}
	if step == "" {
		step = "boot"
	}
	base := fmt.Sprintf("%02d-%s-%s_%s", seq, step, st, look.Name())
	p := &Picture{Seq: seq, Step: step, State: st, Caption: caption, Files: map[string]string{}, Text: g.Text()}
	for _, f := range opts.Formats {
		var data []byte
		switch f {
		case "txt":
			data = []byte(g.Text())
		case "ansi":
			data = []byte(g.ANSI())
		case "svg":
			data = g.SVG()
		case "png":
			var b bytes.Buffer
			if err := g.PNG(&b); err != nil {
				return nil, err
			}
			data = b.Bytes()
		default:
			continue
		}
		name := base + "." + f
		if err := os.WriteFile(filepath.Join(opts.Out, name), data, 0o644); err != nil {
			return nil, err
		}
		p.Files[f] = name
	}
	return p, nil
}

// Image is the file the gallery shows for the picture: PNG, else SVG ("" when neither).
func (p *Picture) Image() string {
	if f := p.Files["png"]; f != "" {
		return f
	}
	return p.Files["svg"]
}

// PixelW is the width of the look's pictures in pixels.
func (l Look) PixelW() int { return l.W * shot.CellW }

// PixelH is the height of the look's pictures in pixels.
func (l Look) PixelH() int { return l.H * shot.CellH }

var galleryTmpl = template.Must(template.New("gallery").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Screens of {{.G.Tenant}}</title><style>{{.CSS}}</style></head>
<body>
<h1>Every screen of {{.G.Tenant}}</h1>
<p class="muted">Drawn by the program itself (the same frames a terminal shows), in the order of the deployment: each page, then the states a person can meet.</p>
{{with .G.Plan}}<h2>The plan</h2>
<table><tr><th>Screen</th><th>Shown?</th><th>Why</th></tr>
{{range .}}<tr><td>{{.Step}}</td><td>{{if .Shown}}shown{{else}}<span class="err">hidden</span>{{end}}</td><td>{{.Reason}}</td></tr>{{end}}</table>{{end}}
{{range .G.Looks}}{{$look := .Look}}<section>
<h2>{{.Look.Theme}}, {{.Look.Locale}}, Windows {{.Look.Windows}}, {{.Look.W}}×{{.Look.H}}</h2>
{{range .Pictures}}<figure id="pic-{{.Seq}}-{{$look.Name}}">
<figcaption><b>{{.Seq}}. {{.Step}}</b> — {{.State}}{{if .Caption}}: {{.Caption}}{{end}}
{{range $f, $name := .Files}} · <a href="{{$name}}">{{$f}}</a>{{end}}</figcaption>
{{with .Image}}<img src="{{.}}" width="{{$look.PixelW}}" height="{{$look.PixelH}}" loading="lazy" alt="{{.}}">{{end}}
</figure>
{{end}}</section>
{{end}}
</body></html>
`))

// flatText is s as one line of words, the card's borders and line breaks gone.
func flatText(s string) string {
	s = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
