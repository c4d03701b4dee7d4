package flow_test

import (
	"testing"

	"github.com/oobe-emu/oobe/flow"
)

func hello(min, max int, upper, lower, special flow.PINUsage) flow.HelloConfig {
	return flow.HelloConfig{State: flow.HelloEnabled, MinLength: min, MaxLength: max, Uppercase: upper, Lowercase: lower, Special: special}
}

func TestCheckPIN(t *testing.T) {
	A, R, D := flow.PINAllowed, flow.PINRequired, flow.PINDisallowed
	digits := hello(6, 127, D, D, D)
	strict := hello(8, 12, R, R, R)
	tests := []struct {
		name  string
		pin   string
		h     flow.HelloConfig
		want  []flow.PINCheck
		valid bool
	}{
		{"digits only, ok", "123456", digits, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 6}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleDigitsOnly, OK: true, Usage: D}}, true},
		{"digits only, too short", "12345", digits, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: false, Limit: 6}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleDigitsOnly, OK: true, Usage: D}}, false},
		{"digits only, a letter", "12345a", digits, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 6}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleDigitsOnly, OK: false, Usage: D}}, false},
		{"empty", "", digits, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: false, Limit: 6}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleDigitsOnly, OK: true, Usage: D}}, false},
		{"all required, met", "Ab1!cdef", strict, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 8}, {Rule: flow.RuleMaxLength, OK: true, Limit: 12},
			{Rule: flow.RuleUppercase, OK: true, Usage: R}, {Rule: flow.RuleLowercase, OK: true, Usage: R},
			{Rule: flow.RuleSpecial, OK: true, Usage: R}}, true},
		{"all required, missing upper and special, too long", "abcdef1234567", strict, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 8}, {Rule: flow.RuleMaxLength, OK: false, Limit: 12},
			{Rule: flow.RuleUppercase, OK: false, Usage: R}, {Rule: flow.RuleLowercase, OK: true, Usage: R},
			{Rule: flow.RuleSpecial, OK: false, Usage: R}}, false},
		{"space counts as special", "Ab1 cdef", strict, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 8}, {Rule: flow.RuleMaxLength, OK: true, Limit: 12},
			{Rule: flow.RuleUppercase, OK: true, Usage: R}, {Rule: flow.RuleLowercase, OK: true, Usage: R},
			{Rule: flow.RuleSpecial, OK: true, Usage: R}}, true},
		{"letters allowed, special disallowed", "abc123", hello(6, 127, A, A, D), []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 6}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleSpecial, OK: true, Usage: D}}, true},
		{"special disallowed but present", "abc#123", hello(6, 127, A, A, D), []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 6}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleSpecial, OK: false, Usage: D}}, false},
		{"lowercase required, uppercase disallowed", "ABc123", hello(4, 127, D, R, A), []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 4}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleUppercase, OK: false, Usage: D}, {Rule: flow.RuleLowercase, OK: true, Usage: R}}, false},
		{"all allowed", "1234", hello(4, 127, A, A, A), []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 4}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127}}, true},
		{"character outside every class", "12é456", hello(4, 127, A, A, A), []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 4}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleCharacters, OK: false}}, false},
		{"length counts characters, not bytes", "1234", hello(4, 4, A, A, A), []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 4}, {Rule: flow.RuleMaxLength, OK: true, Limit: 4}}, true},
		{"unset config: digits only, 6 to 127", "123456", flow.HelloConfig{}, []flow.PINCheck{
			{Rule: flow.RuleMinLength, OK: true, Limit: 6}, {Rule: flow.RuleMaxLength, OK: true, Limit: 127},
			{Rule: flow.RuleDigitsOnly, OK: true, Usage: D}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := flow.CheckPIN(tc.pin, tc.h)
			if len(got) != len(tc.want) {
				t.Fatalf("CheckPIN = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("check %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
			if v := flow.PINValid(tc.pin, tc.h); v != tc.valid {
				t.Errorf("PINValid = %v, want %v", v, tc.valid)
			}
		})
	}
	if !flow.PINDigitsOnly(flow.DefaultProfile().Hello) || flow.PINDigitsOnly(strict) {
		t.Error("PINDigitsOnly wrong")
	}
}

// TestExamplePINMeetsThePolicy: the PIN the trainer's jump types is valid under every
// combination of the policy's character classes and lengths (reference §1.11).
func TestExamplePINMeetsThePolicy(t *testing.T) {
	us := []flow.PINUsage{"", flow.PINAllowed, flow.PINRequired, flow.PINDisallowed}
	for _, up := range us {
		for _, low := range us {
			for _, sp := range us {
				for _, l := range [][2]int{{0, 0}, {4, 4}, {8, 10}, {13, 127}} {
					h := flow.HelloConfig{Uppercase: up, Lowercase: low, Special: sp, MinLength: l[0], MaxLength: l[1]}
					if pin := flow.ExamplePIN(h); !flow.PINValid(pin, h) {
						t.Errorf("%+v: %q is not valid: %+v", h, pin, flow.CheckPIN(pin, h))
					}
				}
			}
		}
	}
}
