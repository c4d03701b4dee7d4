package flow

import (
	"strings"
	"unicode/utf8"
)

// PIN rule names used in PINCheck.Rule.
const (
	// RuleMinLength is "at least MinLength characters".
	RuleMinLength = "minLength"
	// RuleMaxLength is "at most MaxLength characters".
	RuleMaxLength = "maxLength"
	// RuleUppercase is about uppercase letters A–Z (required or disallowed, see Usage).
	RuleUppercase = "uppercase"
	// RuleLowercase is about lowercase letters a–z (required or disallowed, see Usage).
	RuleLowercase = "lowercase"
	// RuleSpecial is about special characters (required or disallowed, see Usage).
	RuleSpecial = "special"
	// RuleDigitsOnly is "digits only" (every letter and special character is disallowed).
	RuleDigitsOnly = "digitsOnly"
	// RuleCharacters is "only letters, digits and the special characters Windows accepts";
	// it is listed only when the PIN holds another character.
	RuleCharacters = "characters"
)

// PINSpecialCharacters are the special characters a Windows Hello PIN may contain.
const PINSpecialCharacters = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// PINCheck is one line of the live validation list of the PIN dialog.
type PINCheck struct {
	// Rule names the requirement (RuleMinLength, RuleMaxLength, RuleUppercase, …).
	Rule string `json:"rule"`
	// OK is true when the PIN meets it.
	OK bool `json:"ok"`
	// Usage says, for a character class rule, whether the class is required or disallowed.
	Usage PINUsage `json:"usage,omitempty"`
	// Limit is the length of a length rule.
	Limit int `json:"limit,omitempty"`
}

// pinLimits returns the length bounds of h with the defaults 6 and 127 for unset values.
func pinLimits(h HelloConfig) (lo, hi int) {
	lo, hi = h.MinLength, h.MaxLength
	if lo <= 0 {
		lo = 6
	}
	if hi <= 0 {
		hi = 127
	}
	return lo, hi
}

// usage returns u, with "" counting as disallowed (the client default: digits only).
func usage(u PINUsage) PINUsage {
	if u == "" {
		return PINDisallowed
	}
	return u
}

// PINDigitsOnly reports whether h allows digits only (every character class disallowed).
func PINDigitsOnly(h HelloConfig) bool {
	return usage(h.Uppercase) == PINDisallowed && usage(h.Lowercase) == PINDisallowed &&
		usage(h.Special) == PINDisallowed
}

// CheckPIN returns the live validation list for pin under h (reference §1.11): the minimum
// and maximum length, then one line per required or disallowed character class, or a single
// digitsOnly line when every class is disallowed; a characters line is added when pin holds a
// character no class covers (letters outside A–Z, emoji…).
func CheckPIN(pin string, h HelloConfig) []PINCheck {
	lo, hi := pinLimits(h)
	n := utf8.RuneCountInString(pin)
	var upper, lower, special, other bool
	for _, r := range pin {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
		case r < utf8.RuneSelf && strings.IndexByte(PINSpecialCharacters, byte(r)) >= 0:
			special = true
		default:
			other = true
		}
	}
	out := []PINCheck{
		{Rule: RuleMinLength, OK: n >= lo, Limit: lo},
		{Rule: RuleMaxLength, OK: n <= hi, Limit: hi},
	}
	if PINDigitsOnly(h) {
		out = append(out, PINCheck{Rule: RuleDigitsOnly, OK: !upper && !lower && !special && !other, Usage: PINDisallowed})
		return out
	}
	for _, c := range []struct {
		rule    string
		u       PINUsage
		present bool
	}{
		{RuleUppercase, usage(h.Uppercase), upper},
		{RuleLowercase, usage(h.Lowercase), lower},
		{RuleSpecial, usage(h.Special), special},
	} {
		switch c.u {
		case PINRequired:
			out = append(out, PINCheck{Rule: c.rule, OK: c.present, Usage: PINRequired})
		case PINDisallowed:
			out = append(out, PINCheck{Rule: c.rule, OK: !c.present, Usage: PINDisallowed})
		}
	}
	if other {
		out = append(out, PINCheck{Rule: RuleCharacters, OK: false})
	}
	return out
}

// PINValid reports whether pin meets every rule of h.
func PINValid(pin string, h HelloConfig) bool {
	for _, c := range CheckPIN(pin, h) {
		if !c.OK {
			return false
		}
	}
	return true
}

// ExamplePIN returns a PIN that meets every rule of h, as a person on a practice run would
// choose: digits (135791…) of the shortest allowed length, with a letter or symbol of each
// class the policy requires in front.
func ExamplePIN(h HelloConfig) string {
	lo, hi := pinLimits(h)
	var head string
	if usage(h.Uppercase) == PINRequired {
		head += "K"
	}
	if usage(h.Lowercase) == PINRequired {
		head += "k"
	}
	if usage(h.Special) == PINRequired {
		head += "#"
	}
	n := max(lo, 6, len(head)+1)
	n = min(n, hi)
	digits := strings.Repeat("13579", n/5+1)
	pin := head + digits[:max(0, n-len(head))]
	return pin
}
