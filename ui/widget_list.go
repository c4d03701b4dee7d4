package ui

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// listItem is one row of a selectList.
type listItem struct {
	// ID identifies the item to the screen.
	ID string
	// Label is the main text, matched by the filter.
	Label string
	// Prefix is drawn before the label (icons); Suffix is right-aligned (status).
	Prefix, Suffix string
	// Detail is a muted second text after the label.
	Detail string
	folded string
}

// selectList is a scrolling list with a cursor and an optional type-to-filter search. Its
// page tells it how many rows it has (setHeight, from Layout); moves keep the cursor in view,
// and view only reads.
type selectList struct {
	items      []listItem
	visible    []int // indexes into items that match the filter
	cursor     int   // index into visible
	offset     int   // first visible row drawn
	rows       int   // rows for items (the search line excluded); 0 until laid out
	filter     string
	filterLen  int // characters in filter
	filterable bool
	longest    int      // bytes of the longest folded item: a longer search matches nothing
	words      []string // the search's words, reused from key to key
	later      []int    // matches inside a name, reused from key to key
	starts     []int    // matches at the starts of a name's words, reused from key to key
	// before is the item selected when the search began: clearing the search selects it
	// again, as if the person had never typed
	before  string
	focused bool
	center  bool // scroll so the cursor is in the middle once the height is known
}

// setHeight tells the list its height (the search line included) and scrolls to the cursor.
func (l *selectList) setHeight(h int) {
	if l.filterable {
		h--
	}
	l.rows = max(1, h)
	l.follow()
}

// follow keeps the cursor in view; after a jump it puts it in the middle.
func (l *selectList) follow() {
	if l.rows == 0 {
		return
	}
	if l.center {
		l.offset = l.cursor - l.rows/2
		l.center = false
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.rows {
		l.offset = l.cursor - l.rows + 1
	}
	l.offset = max(0, min(l.offset, len(l.visible)-l.rows))
}

func newSelectList(items []listItem, filterable bool) selectList {
	longest := 0
	for i := range items {
		items[i].folded = fold(items[i].Label + " " + items[i].Detail)
		longest = max(longest, len(items[i].folded))
	}
	l := selectList{items: items, filterable: filterable, focused: true, longest: longest}
	l.applyFilter()
	return l
}

// fold lowercases s and strips accents so "oster" finds "Österreich". The transformer is
// stateful, so each call makes its own.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

func (l *selectList) applyFilter() {
	var keep string
	if sel, ok := l.selected(); ok {
		keep = sel.ID
	}
	switch {
	case l.filter != "" && l.before == "":
		l.before = keep // the search begins
		if l.before == "" {
			l.before = "\x00"
		}
	case l.filter == "" && l.before != "":
		keep, l.before = l.before, "" // the search is cleared: back to where it began
	}
	l.visible = l.visible[:0]
	f := fold(l.filter)
	l.words = l.words[:0]
	for w := range strings.FieldsSeq(f) {
		l.words = append(l.words, w)
	}
	later, starts := l.later[:0], l.starts[:0]
	if len(f) <= l.longest { // else no name is long enough to match
		for i := range l.items {
			name := l.items[i].folded
			switch {
			case f == "" || strings.HasPrefix(name, f):
				l.visible = append(l.visible, i)
			case !containsAll(name, l.words):
			case wordStarts(name, l.words):
				starts = append(starts, i) // every word starts a word of the name: next
			default:
				later = append(later, i) // found inside the name: last
			}
		}
	}
	l.visible = append(append(l.visible, starts...), later...)
	l.later, l.starts = later, starts
	l.cursor = 0
	if f != "" {
		keep = "" // while searching, the best match is selected
	}
	for vi, i := range l.visible {
		if l.items[i].ID == keep {
			l.cursor = vi
		}
	}
	l.offset = 0
	l.center = true
}

// wordStarts reports whether every word of the search begins a word of the item ("u s" in
// "united states", not in "united arab emirates").
func wordStarts(item string, words []string) bool {
	for _, w := range words {
		found := false
		for i := 0; i+len(w) <= len(item) && !found; i++ {
			if (i == 0 || item[i-1] == ' ' || item[i-1] == '-' || item[i-1] == '(') && strings.HasPrefix(item[i:], w) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// containsAll reports whether every word of the search is contained in the item.
func containsAll(item string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(item, w) {
			return false
		}
	}
	return true
}

// setFilter makes f the search and filters the list for it.
func (l *selectList) setFilter(f string) {
	l.filter, l.filterLen = f, utf8.RuneCountInString(f)
	l.applyFilter()
}

func (l selectList) selected() (listItem, bool) {
	if l.cursor < 0 || l.cursor >= len(l.visible) {
		return listItem{}, false
	}
	return l.items[l.visible[l.cursor]], true
}

// selectID moves the cursor to the item with id (clearing the filter if it hides it).
func (l *selectList) selectID(id string) bool {
	for pass := 0; pass < 2; pass++ {
		for vi, i := range l.visible {
			if l.items[i].ID == id {
				l.cursor = vi
				l.center = true
				l.follow()
				return true
			}
		}
		if l.filter == "" {
			return false
		}
		l.setFilter("")
	}
	return false
}

// update handles navigation and filter keys; it reports whether the key was used.
func (l *selectList) update(k KeyMap, msg tea.KeyPressMsg) bool {
	used := l.key(k, msg)
	if used {
		l.follow()
	}
	return used
}

func (l *selectList) key(k KeyMap, msg tea.KeyPressMsg) bool {
	n := len(l.visible)
	page := max(1, l.rows-1)
	switch {
	case key.Matches(msg, k.Up):
		if l.cursor > 0 {
			l.cursor--
		}
		return true
	case key.Matches(msg, k.Down):
		if l.cursor < n-1 {
			l.cursor++
		}
		return true
	case key.Matches(msg, k.PageUp):
		l.cursor = max(0, l.cursor-page)
		return true
	case key.Matches(msg, k.PageDown):
		l.cursor = max(0, min(n-1, l.cursor+page))
		return true
	case key.Matches(msg, k.Home):
		l.cursor = 0
		return true
	case key.Matches(msg, k.End):
		l.cursor = max(0, n-1)
		return true
	case key.Matches(msg, k.Backspace):
		if l.filterable && l.filter != "" {
			_, n := utf8.DecodeLastRuneInString(l.filter)
			l.setFilter(l.filter[:len(l.filter)-n])
			return true
		}
		return false
	}
	if l.filterable && typed(msg) {
		if key.Matches(msg, k.Toggle) && l.filter == "" {
			return false
		}
		text := cutRunes(msg.Text, capSearch-l.filterLen)
		if text == "" {
			return false // the search is full: the key changes nothing
		}
		l.setFilter(l.filter + text)
		return true
	}
	return false
}

// cutRunes returns the first n characters of s (all of it when it is shorter).
func cutRunes(s string, n int) string {
	for i := range s {
		if n <= 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// wheel scrolls the cursor with the mouse wheel.
func (l *selectList) wheel(msg tea.MouseWheelMsg) {
	switch msg.Mouse().Button {
	case tea.MouseWheelUp:
		l.cursor = max(0, l.cursor-1)
	case tea.MouseWheelDown:
		l.cursor = min(max(0, len(l.visible)-1), l.cursor+1)
	}
	l.follow()
}

// clearFilter empties the search; it reports whether there was one.
func (l *selectList) clearFilter() bool {
	if l.filter == "" {
		return false
	}
	l.setFilter("")
	return true
}

// view draws at most height rows (the search line included) of width columns and returns
// the clickable rows as "item:<index into items>".
func (l *selectList) view(c *Env, width, height int) (string, []Hit) {
	st, g := c.Styles, c.Glyphs
	var rows []string
	var hits []Hit
	if l.filterable {
		q := l.filter
		if q == "" {
			rows = append(rows, st.Muted.Render(ansi.Truncate(c.T("list.search_hint"), width, g.Ellipsis)))
		} else {
			rows = append(rows, ansi.Truncate(st.Text.Render(c.T("list.search")+" ")+st.Badge.Render(q), width, g.Ellipsis))
		}
		height--
	}
	if height < 1 {
		return strings.Join(rows, "\n"), hits
	}
	if len(l.visible) == 0 {
		rows = append(rows, st.Muted.Render(ansi.Truncate(c.T("list.no_match"), width, g.Ellipsis)))
		return strings.Join(rows, "\n"), hits
	}
	// the offset follows the cursor in Update; here it is only kept in range
	off := l.offset
	if l.rows == 0 || l.center {
		off = l.cursor - height/2
	}
	off = min(off, l.cursor)
	off = max(off, l.cursor-height+1)
	off = max(0, min(off, len(l.visible)-height))
	end := min(len(l.visible), off+height)
	for vi := off; vi < end; vi++ {
		it := l.items[l.visible[vi]]
		sel := vi == l.cursor
		marker := " "
		if sel {
			marker = g.Pointer
		}
		// scroll hints in the marker column of the first and last rows
		if vi == off && off > 0 && !sel {
			marker = g.ScrollUp
		}
		if vi == end-1 && end < len(l.visible) && !sel {
			marker = g.ScrollDown
		}
		rows = append(rows, renderRow(c, it, marker, sel && l.focused, sel, width))
		hits = append(hits, Hit{Y: len(rows) - 1, X0: 0, X1: width, ID: "item:" + strconv.Itoa(l.visible[vi])})
	}
	return strings.Join(rows, "\n"), hits
}

func renderRow(c *Env, it listItem, marker string, focused, selected bool, width int) string {
	st := c.Styles
	markerW := lipgloss.Width(marker)
	inner := width - markerW - 1 - st.Item.GetHorizontalFrameSize()
	if inner < 1 {
		return ansi.Truncate(marker, width, "")
	}
	left := it.Label
	if it.Prefix != "" {
		left = it.Prefix + " " + left
	}
	if it.Detail != "" {
		left += "  " + it.Detail
	}
	right := it.Suffix
	lw, rw := lipgloss.Width(left), lipgloss.Width(right)
	if rw > 0 && lw+rw+2 > inner {
		// the status wins over the detail; truncate the left part
		left = ansi.Truncate(left, max(0, inner-rw-2), c.Glyphs.Ellipsis)
		lw = lipgloss.Width(left)
		if lw+rw+2 > inner {
			right = ansi.Truncate(right, max(0, inner-lw-2), c.Glyphs.Ellipsis)
			rw = lipgloss.Width(right)
		}
	}
	text := ansi.Truncate(left, inner, c.Glyphs.Ellipsis)
	gap := inner - lipgloss.Width(text) - rw
	line := text + strings.Repeat(" ", max(0, gap)) + right
	style := st.Item
	switch {
	case focused:
		style = st.ItemSelected
	case selected:
		style = st.Item.Bold(true)
	}
	return marker + " " + style.Render(line)
}
