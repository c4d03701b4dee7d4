package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMERecipesLoad: every recipe of the README's trainer section loads on a fresh clone
// (the files are in examples/): the program gets as far as needing a terminal, and oobe
// check finds the hybrid tenant valid.
func TestREADMERecipesLoad(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	for _, args := range [][]string{
		{"--tenant", filepath.Join(root, "tenants", "larkspur-hybrid")},
		{"--tenant", filepath.Join(root, "tenants", "larkspur-hybrid"), "--scenario", filepath.Join(root, "scenarios", "dc-unreachable.json")},
		{"--scenario", filepath.Join(root, "scenarios", "restart-during-setup.json")},
		{"--scenario", filepath.Join(root, "scenarios", "esp-timeout.json")},
	} {
		var out, errb bytes.Buffer
		if code := run(args, env(), &out, &errb); code != 1 || !strings.Contains(errb.String(), "needs an interactive terminal") {
			t.Errorf("%v: exit %d, stderr %q; want the files loaded", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"check", filepath.Join(root, "tenants", "larkspur-hybrid")}, env(), &out, &errb); code != 0 || !strings.Contains(out.String(), "(hybrid join)") {
		t.Errorf("check: exit %d:\n%s%s", code, out.String(), errb.String())
	}
}
