package tenant

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText detects the encoding of a file and returns its text as UTF-8 (without BOM):
// a UTF-8 BOM or a UTF-16 BOM decides; otherwise UTF-16 without BOM is recognised by the NUL
// bytes of ASCII characters, pure 7-bit text is ASCII, valid UTF-8 is UTF-8 and anything else
// is Windows-1252 (ANSI), decoded byte by byte. bad is true when a UTF-8 or UTF-16 file held
// invalid sequences (replaced by U+FFFD).
func decodeText(data []byte) (text []byte, enc Encoding, bad bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		rest := data[3:]
		if !utf8.Valid(rest) {
			return bytes.ToValidUTF8(rest, []byte("\uFFFD")), EncodingUTF8BOM, true
		}
		return rest, EncodingUTF8BOM, false
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		t, bad := decodeUTF16(data[2:], false)
		return t, EncodingUTF16LEBOM, bad
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		t, bad := decodeUTF16(data[2:], true)
		return t, EncodingUTF16BEBOM, bad
	case len(data) >= 2 && data[0] != 0 && data[1] == 0:
		t, bad := decodeUTF16(data, false)
		return t, EncodingUTF16LE, bad
	case len(data) >= 2 && data[0] == 0 && data[1] != 0:
		t, bad := decodeUTF16(data, true)
		return t, EncodingUTF16BE, bad
	}
	ascii := true
	for _, c := range data {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	switch {
	case ascii:
		return data, EncodingASCII, false
	case utf8.Valid(data):
		return data, EncodingUTF8, false
	}
	return windows1252(data), EncodingWindows1252, false
}

// windows1252 decodes ANSI (Windows-1252) bytes; every byte maps to a character.
func windows1252(data []byte) []byte {
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		// Cannot happen for a single-byte code page; keep the bytes valid anyway.
		return bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return out
}

// decodeUTF16 decodes UTF-16 code units; an odd trailing byte or an unpaired surrogate makes
// bad true and becomes U+FFFD.
func decodeUTF16(b []byte, bigEndian bool) ([]byte, bool) {
	bad := len(b)%2 == 1
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if bigEndian {
			units = append(units, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			units = append(units, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	var out bytes.Buffer
	out.Grow(len(units))
	for i := 0; i < len(units); i++ {
		r := rune(units[i])
		if utf16.IsSurrogate(r) {
			if i+1 < len(units) {
				if pair := utf16.DecodeRune(r, rune(units[i+1])); pair != utf8.RuneError {
					out.WriteRune(pair)
					i++
					continue
				}
			}
			bad = true
			r = utf8.RuneError
		}
		out.WriteRune(r)
	}
	if len(b)%2 == 1 {
		out.WriteRune(utf8.RuneError)
	}
	return out.Bytes(), bad
}

// lineEndings names the line endings of text: "CRLF", "LF", "mixed" or "" (no line break).
func lineEndings(text []byte) string {
	lf := bytes.Count(text, []byte("\n"))
	crlf := bytes.Count(text, []byte("\r\n"))
	switch {
	case lf == 0:
		return ""
	case crlf == lf:
		return "CRLF"
	case crlf == 0:
		return "LF"
	}
	return "mixed"
}
