package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// noTerminal is what pngart sees when its output is a pipe.
func noTerminal(bool) terminal { return terminal{profile: colorprofile.NoTTY} }

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.png")
	if err := os.WriteFile(garbage, []byte("not a png"), 0o600); err != nil {
		t.Fatal(err)
	}
	logo := filepath.Join("..", "..", "assets", "tenant", "square-logo.png")
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"ok", []string{"--cols", "24", "--rows", "12", logo}, 0},
		{"ascii with bg", []string{"--ascii", "--bg", "#FFFFFF", logo}, 0},
		{"help", []string{"--help"}, 0},
		{"no file", nil, 2},
		{"two files", []string{logo, logo}, 2},
		{"unknown flag", []string{"--colour", logo}, 2},
		{"bad cols", []string{"--cols", "0", logo}, 2},
		{"bad rows", []string{"--rows", "x", logo}, 2},
		{"bad bg", []string{"--bg", "teal", logo}, 2},
		{"missing file", []string{filepath.Join(dir, "nope.png")}, 1},
		{"not a png", []string{garbage}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr, noTerminal)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if code != 0 {
				if msg := stderr.String(); strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "pngart: ") {
					t.Errorf("stderr should be one line starting with \"pngart: \": %q", msg)
				}
				if stdout.Len() != 0 {
					t.Errorf("stdout should be empty: %q", stdout.String())
				}
				return
			}
			if stderr.Len() != 0 {
				t.Errorf("unexpected stderr: %q", stderr.String())
			}
			if strings.ContainsRune(stdout.String(), 0x1b) {
				t.Errorf("escape codes in output to a pipe: %q", stdout.String())
			}
		})
	}
}
