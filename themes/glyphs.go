package themes

import (
	"strings"
)

// Glyphs is a set of icon strings; Unicode for UTF-8 terminals, ASCII as a 7-bit fallback.
//
// Paired glyphs (CheckboxOn/CheckboxOff, RadioOn/RadioOff, Eye/EyeOff,
// ChevronDown/ChevronUp, ScrollUp/ScrollDown, BarFull/BarEmpty, and all
// Spinner frames) have the same display width within a set, so toggling them
// does not shift layout. Widths may differ between the two sets (for example
// the ASCII checkbox is "[x]"), so measure with lipgloss.Width.
type Glyphs struct {
	// Name is "unicode" or "ascii".
	Name string
	// Check marks success or a completed step.
	Check string
	// Cross marks failure.
	Cross string
	// Bullet starts an unordered list item.
	Bullet string
	// Pointer marks the cursor row of a list.
	Pointer string
	// Lock marks a secured Wi-Fi network.
	Lock string
	// Ethernet marks a wired connection.
	Ethernet string
	// Wifi marks a wireless connection.
	Wifi string
	// Globe marks language and region choices.
	Globe string
	// Eye is the "show password" toggle.
	Eye string
	// EyeOff is the "hide password" toggle.
	EyeOff string
	// CheckboxOn is a ticked checkbox.
	CheckboxOn string
	// CheckboxOff is an empty checkbox.
	CheckboxOff string
	// RadioOn is a selected radio button.
	RadioOn string
	// RadioOff is an unselected radio button.
	RadioOff string
	// ChevronDown marks a collapsed drop-down or expander.
	ChevronDown string
	// ChevronUp marks an expanded drop-down or expander.
	ChevronUp string
	// BackArrow is the back button of a page.
	BackArrow string
	// ScrollUp shows that more content lies above.
	ScrollUp string
	// ScrollDown shows that more content lies below.
	ScrollDown string
	// Ellipsis marks truncated text.
	Ellipsis string
	// BarFull is one filled cell of a progress bar.
	BarFull string
	// BarEmpty is one empty cell of a progress bar.
	BarEmpty string
	// Warning marks a warning message.
	Warning string
	// Info marks an informational message.
	Info string
	// Spinner holds the frames of the busy animation.
	Spinner []string
}

// Unicode returns the glyph set for UTF-8 terminals; every glyph is one cell wide except Signal (four).
func Unicode() Glyphs {
	return Glyphs{
		Name:        "unicode",
		Check:       "✓",
		Cross:       "✗",
		Bullet:      "•",
		Pointer:     "❯",
		Lock:        "⚿",
		Ethernet:    "⇄",
		Wifi:        "≋",
		Globe:       "⊕",
		Eye:         "⊙",
		EyeOff:      "⊘",
		CheckboxOn:  "☑",
		CheckboxOff: "☐",
		RadioOn:     "◉",
		RadioOff:    "○",
		ChevronDown: "▾",
		ChevronUp:   "▴",
		BackArrow:   "←",
		ScrollUp:    "▲",
		ScrollDown:  "▼",
		Ellipsis:    "…",
		BarFull:     "█",
		BarEmpty:    "░",
		Warning:     "⚠",
		Info:        "ℹ",
		Spinner:     []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"},
	}
}

// ASCII returns the pure 7-bit ASCII glyph set for terminals without UTF-8; every field is non-empty.
func ASCII() Glyphs {
	return Glyphs{
		Name:        "ascii",
		Check:       "+",
		Cross:       "x",
		Bullet:      "*",
		Pointer:     ">",
		Lock:        "#",
		Ethernet:    "=",
		Wifi:        "~",
		Globe:       "@",
		Eye:         "o",
		EyeOff:      "-",
		CheckboxOn:  "[x]",
		CheckboxOff: "[ ]",
		RadioOn:     "(*)",
		RadioOff:    "( )",
		ChevronDown: "[+]",
		ChevronUp:   "[-]",
		BackArrow:   "<",
		ScrollUp:    "^",
		ScrollDown:  "v",
		Ellipsis:    "...",
		BarFull:     "#",
		BarEmpty:    "-",
		Warning:     "!",
		Info:        "i",
		Spinner:     []string{"|", "/", "-", "\\"},
	}
}

// ForLocale returns Unicode when utf8 is true and ASCII otherwise.
func ForLocale(utf8 bool) Glyphs {
	if utf8 {
		return Unicode()
	}
	return ASCII()
}

// IsASCII reports whether g is the ASCII glyph set.
func (g Glyphs) IsASCII() bool { return g.Name == "ascii" }

// Wi-Fi bars (lowest first) and the placeholder for a missing bar, per set.
var (
	unicodeBars = [4]string{"▂", "▄", "▆", "█"}
	unicodeGap  = " "
	asciiBars   = [4]string{"|", "|", "|", "|"}
	asciiGap    = "."
)

// bars returns the four signal bars and the gap glyph of g's set (Unicode unless g is ASCII).
func (g Glyphs) bars() ([4]string, string) {
	if g.IsASCII() {
		return asciiBars, asciiGap
	}
	return unicodeBars, unicodeGap
}

// SignalParts returns the present and missing Wi-Fi bars separately (bars clamped to 0..4), so the UI can dim the missing part; together they are 4 cells wide.
func (g Glyphs) SignalParts(bars int) (have, missing string) {
	bars = min(max(bars, 0), 4)
	sig, gap := g.bars()
	if g.IsASCII() {
		return strings.Join(sig[:bars], ""), strings.Repeat(gap, 4-bars)
	}
	return strings.Join(sig[:bars], ""), strings.Join(sig[bars:], "")
}

// Signal renders Wi-Fi strength as plain characters of fixed display width 4, bars clamped to 0..4 (Unicode "▂▄  ", ASCII "||..").
func (g Glyphs) Signal(bars int) string {
	bars = min(max(bars, 0), 4)
	sig, gap := g.bars()
	return strings.Join(sig[:bars], "") + strings.Repeat(gap, 4-bars)
}

// SpinnerFrame returns animation frame i (any int, wrapped modulo the frame count), or "" when there are no frames.
func (g Glyphs) SpinnerFrame(i int) string {
	n := len(g.Spinner)
	if n == 0 {
		return ""
	}
	i %= n
	if i < 0 {
		i += n
	}
	return g.Spinner[i]
}
