package ui

import (
	"fmt"
	"image/color"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/oobe-emu/oobe/flow/run"
	"github.com/oobe-emu/oobe/internal/shot"
	"github.com/oobe-emu/oobe/internal/termtext"
	"github.com/oobe-emu/oobe/themes"
)

// Picture is the frame of the model's state now (View, the overlay included) as the cell grid
// a terminal of the model's size shows, in the theme's colours.
func (m *Model) Picture() (*shot.Grid, error) {
	content := m.View().Content
	fg, bg := m.terminalColors()
	return shot.Parse(content, m.w, m.h, fg, bg)
}

// shownFrame is the frame the terminal got last (View draws it when none was drawn yet).
func (m *Model) shownFrame() string {
	if !m.drawn.ok {
		return m.View().Content
	}
	return m.drawn.v.Content
}

// terminalColors are the terminal's default colours while the program runs: the theme's
// background, which the program sets for the terminal (View), and its text colour; without
// colours a terminal's usual light grey on black.
func (m *Model) terminalColors() (fg, bg color.Color) {
	if !themes.UsesColor(m.env.Profile) {
		return color.RGBA{0xcc, 0xcc, 0xcc, 0xff}, color.Black
	}
	p := m.env.Theme.Palette
	return p.Text, p.Background
}

// shotSaved says where F12 saved the screen (or why it could not).
type shotSaved struct {
	paths []string
	err   error
}

// snapshot saves the frame on screen as text and SVG into the run's files, as a command: the
// picture is made and written outside Update. A frame that shows a revealed secret (Ctrl+R)
// is not saved: the note says to hide it first.
func (m *Model) snapshot() tea.Cmd {
	if m.secretShown() {
		return func() tea.Msg { return shotSaved{err: errSecretShown} }
	}
	content := m.shownFrame()
	fg, bg := m.terminalColors()
	w, h, files := m.w, m.h, m.run.Files()
	return func() tea.Msg {
		g, err := shot.Parse(content, w, h, fg, bg)
		if err != nil {
			return shotSaved{err: err}
		}
		var paths []string
		for _, f := range []struct {
			ext  string
			data []byte
		}{{".txt", []byte(g.Text())}, {".svg", g.SVG()}} {
			p, err := writeFile(files, "oobe-screen", f.ext, f.data)
			if err != nil {
				return shotSaved{paths: paths, err: err}
			}
			paths = append(paths, p)
		}
		return shotSaved{paths: paths}
	}
}

// errSecretShown is why F12 saves nothing while a secret is shown in clear.
var errSecretShown = fmt.Errorf("a secret is shown (ctrl+r hides it)")

// writeFile writes data into a new file of files (created exclusively, mode 0600: run.Dir).
func writeFile(files run.Files, prefix, ext string, data []byte) (string, error) {
	if files == nil {
		return "", fmt.Errorf("this run has nowhere to write files")
	}
	w, path, err := files.Create(prefix, ext)
	if err != nil {
		return "", err
	}
	_, err = w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return path, nil
}

// showSaved turns the outcome of F12 into the note shown in place of the help line until the
// next key.
func (m *Model) showSaved(s shotSaved) {
	c := m.env
	switch {
	case s.err != nil:
		m.note = c.T("app.snapshot_failed", "error", termtext.Clean(shortError(s.err)))
		m.noteErr = true
	default:
		names := s.paths[0]
		for _, p := range s.paths[1:] {
			if filepath.Dir(p) == filepath.Dir(s.paths[0]) {
				p = filepath.Base(p)
			}
			names += ", " + p
		}
		m.note, m.noteErr = c.T("app.snapshot_saved", "files", termtext.Clean(names)), false
	}
	m.last = lastFrame{}
}

// secretShown reports whether the page on top shows a secret in clear (Ctrl+R).
func (m *Model) secretShown() bool {
	s, ok := m.nav.top().(interface{ SecretShown() bool })
	return ok && s.SecretShown()
}

// SecretShown reports whether the network security key is shown in clear.
func (p *networkPage) SecretShown() bool { return p.reveal }

// SecretShown reports whether the PIN is shown in clear.
func (s *helloPage) SecretShown() bool { return s.reveal }

// SecretShown reports whether the password is shown in clear.
func (p *signInPage) SecretShown() bool { return p.form.reveal }

// SecretShown reports whether the password is shown in clear.
func (p *winSignInPage) SecretShown() bool { return p.form.reveal }
