package flow

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
)

// MaxDeviceNameLength is the NetBIOS limit of a computer name.
const MaxDeviceNameLength = 15

// Device name errors (reference §2.9); the returned errors wrap one of these.
var (
	// ErrDeviceNameTemplate means the template itself is invalid.
	ErrDeviceNameTemplate = errors.New("invalid device name template")
	// ErrDeviceName means the expanded name is invalid (too long, all digits, empty).
	ErrDeviceName = errors.New("invalid device name")
)

// macroRE finds every %…% token; their case and content are checked afterwards.
var macroRE = regexp.MustCompile(`%[^%]*%`)

// template is a parsed device name template: static text around at most one %SERIAL% and
// at most one %RAND:x%.
type template struct {
	parts     []tmplPart
	hasSerial bool
	hasRand   bool
	static    int // characters of static text
	randLen   int
}

// tmplPart is static text, the serial macro or a random macro of n digits.
type tmplPart struct {
	text   string
	serial bool
	rand   int
}

// parseTemplate checks a template and splits it into parts.
func parseTemplate(t string) (template, error) {
	bad := func(format string, args ...any) (template, error) {
		return template{}, fmt.Errorf("%w: %s", ErrDeviceNameTemplate, fmt.Sprintf(format, args...))
	}
	if t == "" {
		return bad("empty")
	}
	var tp template
	rest := t
	for rest != "" {
		loc := macroRE.FindStringIndex(rest)
		text := rest
		if loc != nil {
			text = rest[:loc[0]]
		}
		if text != "" {
			if i := strings.IndexFunc(text, func(r rune) bool { return !nameRune(r) }); i >= 0 {
				r := []rune(text[i:])[0]
				if r == '%' {
					return bad("unmatched %% in %q", t)
				}
				return bad("%q is not allowed (letters A–Z, a–z, digits and - only)", string(r))
			}
			tp.parts = append(tp.parts, tmplPart{text: text})
			tp.static += len(text)
		}
		if loc == nil {
			break
		}
		macro := rest[loc[0]:loc[1]]
		rest = rest[loc[1]:]
		inner := macro[1 : len(macro)-1]
		switch {
		case inner == "SERIAL":
			if tp.hasSerial {
				return bad("%%SERIAL%% appears more than once")
			}
			tp.hasSerial = true
			tp.parts = append(tp.parts, tmplPart{serial: true})
		case strings.HasPrefix(inner, "RAND:"):
			digits := inner[len("RAND:"):]
			n, err := strconv.Atoi(digits)
			if err != nil || n < 1 || strings.TrimLeft(digits, "0123456789") != "" {
				return bad("%s needs a number of digits, like %%RAND:5%%", macro)
			}
			if tp.hasRand {
				return bad("%%RAND:x%% appears more than once")
			}
			if n > MaxDeviceNameLength {
				return bad("%s makes the name longer than %d characters", macro, MaxDeviceNameLength)
			}
			tp.hasRand, tp.randLen = true, n
			tp.parts = append(tp.parts, tmplPart{rand: n})
		case strings.EqualFold(inner, "SERIAL") || strings.HasPrefix(strings.ToUpper(inner), "RAND:"):
			return bad("macros are case-sensitive: write %s in capitals", strings.ToUpper(macro))
		default:
			return bad("unknown macro %s (only %%SERIAL%% and %%RAND:x%%)", macro)
		}
	}
	switch {
	case tp.hasRand:
		if n := tp.static + tp.randLen; n > MaxDeviceNameLength {
			return bad("the name would be %d characters, the limit is %d", n, MaxDeviceNameLength)
		}
		if tp.static == 0 || allDigits(tp.staticText()) {
			return bad("the name would be all digits")
		}
	case tp.hasSerial:
		if tp.static >= MaxDeviceNameLength {
			return bad("the text around %%SERIAL%% leaves no room for the serial number (limit %d)", MaxDeviceNameLength)
		}
	default:
		if tp.static > MaxDeviceNameLength {
			return bad("%d characters, the limit is %d", tp.static, MaxDeviceNameLength)
		}
		if allDigits(tp.staticText()) {
			return bad("the name would be all digits")
		}
	}
	return tp, nil
}

// staticText returns the template's static text, concatenated.
func (tp template) staticText() string {
	var b strings.Builder
	for _, p := range tp.parts {
		b.WriteString(p.text)
	}
	return b.String()
}

// ValidateDeviceNameTemplate checks an Entra join device name template (reference §2.9):
// static text of letters, digits and hyphens with at most one %SERIAL% and one %RAND:x%
// (case-sensitive), a result that fits 15 characters and cannot be all digits. A template
// without macros is valid (every device gets the same name).
func ValidateDeviceNameTemplate(t string) error {
	_, err := parseTemplate(t)
	return err
}

// ExpandDeviceName applies template to a device: %SERIAL% becomes the serial number with
// characters other than A–Z a–z 0–9 - removed, truncated from the beginning (the right-most
// characters stay) so the name fits 15 characters; %RAND:x% becomes x random digits from rng
// (a fresh generator when rng is nil). When both macros appear, %RAND% wins and %SERIAL% is
// dropped. The result is checked: at most 15 characters, allowed characters only, not all
// digits, not empty.
func ExpandDeviceName(template, serial string, rng *rand.Rand) (string, error) {
	tp, err := parseTemplate(template)
	if err != nil {
		return "", err
	}
	useSerial := tp.hasSerial && !tp.hasRand
	var sn string
	if useSerial {
		sn = SanitizeSerial(serial)
		if room := MaxDeviceNameLength - tp.static; len(sn) > room {
			sn = sn[len(sn)-room:]
		}
	}
	var b strings.Builder
	for _, p := range tp.parts {
		switch {
		case p.serial:
			if useSerial {
				b.WriteString(sn)
			}
		case p.rand > 0:
			for range p.rand {
				var d int
				if rng != nil {
					d = rng.IntN(10)
				} else {
					d = rand.IntN(10)
				}
				b.WriteByte(byte('0' + d))
			}
		default:
			b.WriteString(p.text)
		}
	}
	name := b.String()
	if err := ValidateDeviceName(name); err != nil {
		return "", err
	}
	return name, nil
}

// ValidateDeviceName checks a computer name: 1 to 15 characters, letters A–Z a–z, digits and
// hyphens only, not all digits.
func ValidateDeviceName(name string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrDeviceName, fmt.Sprintf(format, args...))
	}
	switch {
	case name == "":
		return bad("empty")
	case len(name) > MaxDeviceNameLength:
		return bad("%q is %d characters, the limit is %d", name, len(name), MaxDeviceNameLength)
	case strings.IndexFunc(name, func(r rune) bool { return !nameRune(r) }) >= 0:
		return bad("%q has characters other than A–Z, a–z, 0–9 and -", name)
	case allDigits(name):
		return bad("%q is all digits", name)
	}
	return nil
}

// SanitizeSerial removes from a serial number every character a computer name cannot hold.
func SanitizeSerial(serial string) string {
	return strings.Map(func(r rune) rune {
		if nameRune(r) {
			return r
		}
		return -1
	}, serial)
}

// nameRune reports whether r may appear in a computer name.
func nameRune(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-'
}

// allDigits reports whether s is non-empty and made of digits only.
func allDigits(s string) bool {
	return s != "" && strings.TrimLeft(s, "0123456789") == ""
}
