package flow_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/tenant"
)

func TestExpandDeviceName(t *testing.T) {
	tests := []struct {
		name, template, serial string
		want                   string // "" with err set; a name; or a pattern where # is a digit
		err                    error
	}{
		{"samples README", "FAB-%SERIAL%", "5CG4281QZT", "FAB-5CG4281QZT", nil},
		{"embedded tenant", "LSA-%SERIAL%", "8CG3471KQD", "LSA-8CG3471KQD", nil},
		{"serial only", "%SERIAL%", "5CG4281QZT", "5CG4281QZT", nil},
		{"long serial keeps the right-most characters", "FAB-%SERIAL%", "ABCDEFGHIJKLMNOP", "FAB-FGHIJKLMNOP", nil},
		{"Hyper-V serial", "VM-%SERIAL%", "1234-5678-9012-3456-7890", "VM-12-3456-7890", nil},
		{"serial sanitized", "LAB-%SERIAL%", "PF 2A.7/9Q", "LAB-PF2A79Q", nil},
		{"serial between static text", "A%SERIAL%Z", "123456789012345", "A3456789012345Z", nil},
		{"random digits", "MMD-%RAND:11%", "5CG4281QZT", "MMD-###########", nil},
		{"random, 6+9", "Kiosk-%RAND:9%", "", "Kiosk-#########", nil},
		{"RAND wins over SERIAL", "FAB-%SERIAL%-%RAND:4%", "5CG4281QZT", "FAB--####", nil},
		{"static only", "KIOSK-01", "5CG4281QZT", "KIOSK-01", nil},
		{"numeric serial gives an all-digit name", "%SERIAL%", "123456", "", flow.ErrDeviceName},
		{"empty serial gives an empty name", "%SERIAL%", " ./", "", flow.ErrDeviceName},
		{"lowercase serial macro", "FAB-%serial%", "5CG4281QZT", "", flow.ErrDeviceNameTemplate},
		{"lowercase rand macro", "FAB-%rand:4%", "", "", flow.ErrDeviceNameTemplate},
		{"mixed-case macro", "FAB-%Serial%", "5CG4281QZT", "", flow.ErrDeviceNameTemplate},
		{"unknown macro", "FAB-%MAC%", "", "", flow.ErrDeviceNameTemplate},
		{"unmatched percent", "FAB-%SERIAL", "", "", flow.ErrDeviceNameTemplate},
		{"rand without count", "FAB-%RAND:%", "", "", flow.ErrDeviceNameTemplate},
		{"rand zero", "FAB-%RAND:0%", "", "", flow.ErrDeviceNameTemplate},
		{"rand too long", "MMD-%RAND:12%", "", "", flow.ErrDeviceNameTemplate},
		{"rand only is all digits", "%RAND:8%", "", "", flow.ErrDeviceNameTemplate},
		{"space", "FAB %SERIAL%", "5CG", "", flow.ErrDeviceNameTemplate},
		{"underscore", "FAB_%SERIAL%", "5CG", "", flow.ErrDeviceNameTemplate},
		{"static too long", "ABCDEFGHIJKLMNOP", "", "", flow.ErrDeviceNameTemplate},
		{"static leaves no room for the serial", "ABCDEFGHIJKLMNO%SERIAL%", "5CG", "", flow.ErrDeviceNameTemplate},
		{"static all digits", "12345", "", "", flow.ErrDeviceNameTemplate},
		{"two serial macros", "%SERIAL%-%SERIAL%", "5CG", "", flow.ErrDeviceNameTemplate},
		{"empty", "", "5CG", "", flow.ErrDeviceNameTemplate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := flow.ExpandDeviceName(tc.template, tc.serial, rand.New(rand.NewPCG(1, 2)))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("ExpandDeviceName = %q, %v; want error %v", got, err, tc.err)
				}
				if errors.Is(tc.err, flow.ErrDeviceNameTemplate) && flow.ValidateDeviceNameTemplate(tc.template) == nil {
					t.Error("ValidateDeviceNameTemplate accepts it")
				}
				return
			}
			if err != nil {
				t.Fatalf("ExpandDeviceName: %v", err)
			}
			if err := flow.ValidateDeviceNameTemplate(tc.template); err != nil {
				t.Errorf("ValidateDeviceNameTemplate: %v", err)
			}
			if len(got) != len(tc.want) || len(got) > flow.MaxDeviceNameLength {
				t.Fatalf("name = %q (%d), want %q", got, len(got), tc.want)
			}
			for i := range got {
				if w := tc.want[i]; w == '#' {
					if got[i] < '0' || got[i] > '9' {
						t.Errorf("name = %q: position %d is not a digit", got, i)
					}
				} else if got[i] != w {
					t.Errorf("name = %q, want %q", got, tc.want)
					break
				}
			}
			if err := flow.ValidateDeviceName(got); err != nil {
				t.Errorf("ValidateDeviceName(%q): %v", got, err)
			}
		})
	}
}

func TestExpandDeviceNameSeeded(t *testing.T) {
	a, _ := flow.ExpandDeviceName("MMD-%RAND:11%", "", rand.New(rand.NewPCG(7, 7)))
	b, _ := flow.ExpandDeviceName("MMD-%RAND:11%", "", rand.New(rand.NewPCG(7, 7)))
	if a != b {
		t.Errorf("same seed, different names %q %q", a, b)
	}
	if c, err := flow.ExpandDeviceName("MMD-%RAND:11%", "", nil); err != nil || !strings.HasPrefix(c, "MMD-") || len(c) != 15 {
		t.Errorf("nil rng = %q, %v", c, err)
	}
}

func TestDeviceNameEmbeddedTenant(t *testing.T) {
	tn, err := tenant.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	got, err := flow.ExpandDeviceName(tn.Profile.DeviceNameTemplate, tn.Scenario.Device.Serial, nil)
	if err != nil || got != "LSA-8CG3471KQD" {
		t.Errorf("embedded tenant name = %q, %v", got, err)
	}
}

func TestValidateDeviceName(t *testing.T) {
	for name, ok := range map[string]bool{
		"FAB-5CG4281QZT":   true,
		"a":                true,
		"ABCDEFGHIJKLMNO":  true,
		"ABCDEFGHIJKLMNOP": false,
		"":                 false,
		"123":              false,
		"FAB 1":            false,
		"FAB.1":            false,
		"FÄB-1":            false,
	} {
		if err := flow.ValidateDeviceName(name); (err == nil) != ok {
			t.Errorf("ValidateDeviceName(%q) = %v", name, err)
		}
	}
}
