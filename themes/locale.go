package themes

import "strings"

// UTF8Locale reports whether the locale in env (LC_ALL, else LC_CTYPE, else LANG: the first non-empty) uses UTF-8, or goos is "windows".
//
// The match is case-insensitive on "utf-8" or "utf8"; an empty locale, "C"
// and "POSIX" give false. A nil env is treated as an empty environment. Pass
// os.Getenv locally, or the session's environment over SSH.
func UTF8Locale(env func(string) string, goos string) bool {
	if goos == "windows" {
		return true
	}
	if env == nil {
		return false
	}
	var loc string
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := strings.TrimSpace(env(k)); v != "" {
			loc = v
			break
		}
	}
	l := strings.ToLower(loc)
	switch l {
	case "", "c", "posix":
		return false
	}
	return strings.Contains(l, "utf-8") || strings.Contains(l, "utf8")
}
