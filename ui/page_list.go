package ui

import (
	"sort"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/oobe-emu/oobe/assets"
)

// pageButton is a button of a list page, its label a catalog message ID.
type pageButton struct {
	id, label string
	primary   bool
}

// listPage is the shared shape of the language, region and keyboard pages and the
// second-keyboard picker: a question, a list to choose from and buttons. The focus is the
// list or a button.
type listPage struct {
	pageCtx
	titleID, subID string
	subArgs        []string
	list           selectList
	buttons        []pageButton
	ring           focusRing
	// canBack says whether Esc (with no search to clear) goes back, and back does it.
	canBack func() bool
	back    func()
	// choose runs the page's answer for button id with the selected item.
	choose func(id string, it listItem)
}

// setButtons makes the page's buttons and the focus ring list, buttons.
func (p *listPage) setButtons(bs ...pageButton) {
	p.buttons = bs
	ids := []string{"list"}
	for _, b := range bs {
		ids = append(ids, b.id)
	}
	p.ring.set(ids...)
}

func (p *listPage) Heading() (string, string) {
	sub := ""
	if p.subID != "" {
		sub = p.env.T(p.subID, p.subArgs...)
	}
	return p.env.T(p.titleID), sub
}

// primary is the id of the page's main button.
func (p *listPage) primary() string {
	for _, b := range p.buttons {
		if b.primary {
			return b.id
		}
	}
	return ""
}

// press runs button id with the selected item.
func (p *listPage) press(id string) tea.Cmd {
	it, ok := p.list.selected()
	if !ok {
		return nil
	}
	p.choose(id, it)
	return nil
}

// Layout gives the list its height.
func (p *listPage) Layout(f Frame) { p.list.setHeight(f.H) }

func (p *listPage) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case p.ring.tab(k, msg, false):
		case key.Matches(msg, k.Enter):
			if p.ring.on("list") {
				return p.press(p.primary())
			}
			return p.press(p.ring.cur)
		case key.Matches(msg, k.Back):
			if p.list.clearFilter() {
				return nil
			}
			if p.canBack != nil && p.canBack() {
				p.back()
			}
		default:
			onList := p.ring.on("list")
			if !onList && (key.Matches(msg, k.Up, k.Down) || msg.Text != "") {
				p.ring.focus("list") // typing or arrows go to the list, as in Windows
			}
			if p.ring.on("list") && !p.list.update(k, msg) && onList {
				p.unchanged() // a key the list has no use for (or a full search)
			}
		}
	case tea.MouseWheelMsg:
		p.list.wheel(msg)
	case ClickMsg:
		if idx, ok := strings.CutPrefix(msg.ID, "item:"); ok {
			if i, err := strconv.Atoi(idx); err == nil && i < len(p.list.items) {
				p.list.selectID(p.list.items[i].ID)
				p.ring.focus("list")
			}
		}
	case ButtonMsg:
		return p.press(msg.ID)
	}
	return nil
}

func (p *listPage) View(f Frame) Card {
	p2 := *p // the list draws its focus from the ring; View changes nothing of the page
	p2.list.focused = p.ring.on("list")
	body, hits := p2.list.view(p.env, f.W, f.H)
	var bs []Button
	for _, b := range p.buttons {
		bs = append(bs, Button{ID: b.id, Label: p.env.T(b.label), Primary: b.primary, Focused: p.ring.on(b.id)})
	}
	k := p.env.Keys
	help := []key.Binding{k.Up, k.Enter, k.Tab}
	if p.list.filterable {
		help = append(help, k.Filter)
	}
	if p.canBack != nil && p.canBack() {
		help = append(help, k.Back)
	}
	return Card{Body: body, Hits: hits, Buttons: bs, Help: help}
}

// sortByName orders items by label in the display language's collation.
func sortByName(c *Env, items []listItem) {
	tag, err := language.Parse(c.Cat.Locale())
	if err != nil {
		tag = language.AmericanEnglish
	}
	col := collate.New(tag, collate.Loose)
	sort.SliceStable(items, func(i, j int) bool { return col.CompareString(items[i].Label, items[j].Label) < 0 })
}

var yesButton = pageButton{id: "yes", label: "button.yes", primary: true}

func newLanguagePage(c pageCtx) Page {
	var items []listItem
	for _, tag := range c.run.Boot().Boot.Languages {
		items = append(items, listItem{ID: tag, Label: assets.LanguageName(tag)})
	}
	p := &listPage{pageCtx: c, titleID: "language.title", subID: "language.subtitle", list: newSelectList(items, false)}
	p.setButtons(yesButton)
	p.list.selectID(c.run.Answers().Language)
	p.choose = func(_ string, it listItem) { _ = c.run.ChooseLanguage(it.ID) }
	return p
}

// backer makes a page's Esc go back where the run allows it.
func backer(c pageCtx) (func() bool, func()) {
	return c.run.CanGoBack, func() { _ = c.run.Back() }
}

func newRegionPage(c pageCtx) Page {
	var items []listItem
	for _, r := range assets.Regions() {
		items = append(items, listItem{ID: r.ISO2, Label: assets.RegionName(r.ISO2, c.env.Cat.Locale())})
	}
	sortByName(c.env, items)
	p := &listPage{pageCtx: c, titleID: "region.title", subID: "region.subtitle", list: newSelectList(items, true)}
	p.setButtons(yesButton)
	p.canBack, p.back = backer(c)
	sel := c.run.Answers().Region
	if sel == "" {
		sel = c.env.RegionDefault
	}
	if !p.list.selectID(sel) {
		p.list.selectID("US")
	}
	p.choose = func(_ string, it listItem) { _ = c.run.ChooseRegion(it.ID) }
	return p
}

// keyboardItems lists every layout, those of region first, in the display language.
func keyboardItems(c *Env, region string, exclude string) []listItem {
	r, _ := assets.RegionByISO(region)
	var mine, rest []listItem
	for _, k := range assets.Keyboards() {
		if k.KLID == exclude {
			continue
		}
		it := listItem{ID: k.KLID, Label: k.DisplayName(c.Cat.Locale())}
		if k.KLID == r.Keyboard || contains(k.Locales, r.Locale) {
			mine = append(mine, it)
		} else {
			rest = append(rest, it)
		}
	}
	sortByName(c, mine)
	sortByName(c, rest)
	return append(mine, rest...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func newKeyboardPage(c pageCtx) Page {
	a := c.run.Answers()
	p := &listPage{pageCtx: c, titleID: "keyboard.title", subID: "keyboard.subtitle", list: newSelectList(keyboardItems(c.env, a.Region, ""), true)}
	p.setButtons(yesButton)
	p.canBack, p.back = backer(c)
	sel := a.Keyboard
	if sel == "" {
		if r, ok := assets.RegionByISO(a.Region); ok {
			sel = r.Keyboard
		}
	}
	p.list.selectID(sel)
	p.choose = func(_ string, it listItem) { _ = c.run.ChooseKeyboard(it.ID) }
	return p
}

// keyboard2Page asks whether to add a second layout; Add layout opens the layout picker.
type keyboard2Page struct {
	pageCtx
	ring focusRing
}

func newKeyboard2Page(c pageCtx) Page {
	p := &keyboard2Page{pageCtx: c}
	p.ring.set("add", "skip")
	p.ring.focus("skip")
	return p
}

func (p *keyboard2Page) Heading() (string, string) {
	return p.env.T("keyboard2.title"), p.env.T("keyboard2.subtitle")
}

// openPicker opens the layout picker above the question.
func (p *keyboard2Page) openPicker() {
	c := p.pageCtx
	a := c.run.Answers()
	picker := &listPage{pageCtx: c, titleID: "keyboard2.pick_title", subID: "keyboard2.pick_subtitle",
		list: newSelectList(keyboardItems(c.env, a.Region, a.Keyboard), true)}
	picker.setButtons(pageButton{id: "add", label: "button.add_layout", primary: true})
	picker.canBack, picker.back = func() bool { return true }, c.nav.pop
	if a.Keyboard2 != "" {
		picker.list.selectID(a.Keyboard2)
	}
	picker.choose = func(_ string, it listItem) { _ = c.run.AddKeyboard(it.ID) }
	c.nav.push(picker)
}

func (p *keyboard2Page) press(id string) {
	switch id {
	case "add":
		p.openPicker()
	case "skip":
		_ = p.run.SkipKeyboard()
	}
}

func (p *keyboard2Page) Update(msg tea.Msg) tea.Cmd {
	k := p.env.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		p.ring.buttons(k, msg, p.press, func() {
			if p.run.CanGoBack() {
				_ = p.run.Back()
			}
		})
	case ButtonMsg:
		p.press(msg.ID)
	}
	return nil
}

func (p *keyboard2Page) View(f Frame) Card {
	c := p.env
	kb, _ := assets.KeyboardByKLID(p.run.Answers().Keyboard)
	body := c.Styles.Text.Render(c.T("keyboard2.current", "layout", kb.DisplayName(c.Cat.Locale())))
	return Card{
		Body: fit(body, f.W, 1),
		Buttons: []Button{
			{ID: "add", Label: c.T("button.add_layout"), Focused: p.ring.on("add")},
			{ID: "skip", Label: c.T("button.skip"), Primary: true, Focused: p.ring.on("skip")},
		},
		Help: []key.Binding{c.Keys.Tab, c.Keys.Enter, c.Keys.Back},
	}
}

// The replay's view of the page (replay.go): what it shows, and the actions done through
// its own handlers.

func (p *listPage) replayForm() replayForm {
	it, _ := p.list.selected()
	return replayForm{mode: "list", selected: it.ID}
}

func (p *listPage) replayAct(a replayAct) tea.Cmd {
	switch a.kind {
	case "select":
		p.ring.focus("list")
		p.list.selectID(a.value)
	case "press":
		p.ring.focus(a.target)
		return p.press(a.target)
	}
	return nil
}

func (p *keyboard2Page) replayForm() replayForm { return replayForm{mode: "question"} }

func (p *keyboard2Page) replayAct(a replayAct) tea.Cmd {
	if a.kind == "press" {
		p.ring.focus(a.target)
		p.press(a.target)
	}
	return nil
}
