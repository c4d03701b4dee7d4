package ui

import (
	"sort"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/oobe-emu/oobe/assets"
	"github.com/oobe-emu/oobe/flow"
)

// newScreen builds the screen of step s.
func newScreen(c *Common, s flow.StepID) Screen {
	switch s {
	case flow.StepLanguage:
		return newLanguageScreen(c)
	case flow.StepRegion:
		return newRegionScreen(c)
	case flow.StepKeyboard:
		return newKeyboardScreen(c)
	case flow.StepKeyboard2:
		return newKeyboard2Screen(c)
	case flow.StepNetwork:
		return newNetworkScreen(c)
	case flow.StepUpdates:
		return newUpdatesScreen(c)
	case flow.StepEULA:
		return newEULAScreen(c)
	case flow.StepSignIn:
		return newSignInScreen(c)
	case flow.StepESPDevice:
		return newESPScreen(c, flow.ESPDevicePreparation, flow.ESPDeviceSetup)
	case flow.StepPrivacy:
		return newPrivacyScreen(c)
	case flow.StepWindowsSignIn:
		return newWinSignInScreen(c)
	case flow.StepFSIA:
		return newFSIAScreen(c)
	case flow.StepESPAccount:
		return newESPScreen(c, flow.ESPAccountSetup)
	case flow.StepQualityUpdates:
		return newQualityScreen(c)
	case flow.StepHello:
		return newHelloScreen(c)
	case flow.StepDesktop:
		return newDesktopScreen(c)
	}
	return newErrorScreen(c, c.T("error.unknown_step"), string(s))
}

// listScreen adapts a listPage to the Screen interface.
type listScreen struct{ listPage }

func (s *listScreen) Init() tea.Cmd { return nil }

func (s *listScreen) Update(msg tea.Msg) (Screen, tea.Cmd) { return s, s.update(msg) }

func (s *listScreen) View(w, h int) Card { return s.view(w, h) }

func (s *listScreen) Heading() (string, string) { return s.listPage.Heading() }

// sortByName orders items by label in the display language's collation.
func sortByName(c *Common, items []listItem) {
	tag, err := language.Parse(c.Cat.Locale())
	if err != nil {
		tag = language.AmericanEnglish
	}
	col := collate.New(tag, collate.Loose)
	sort.SliceStable(items, func(i, j int) bool { return col.CompareString(items[i].Label, items[j].Label) < 0 })
}

func newLanguageScreen(c *Common) Screen {
	var items []listItem
	for _, tag := range c.Session.Boot.Languages {
		items = append(items, listItem{ID: tag, Label: assets.LanguageName(tag)})
	}
	s := &listScreen{listPage{
		c: c, titleID: "language.title", subID: "language.subtitle",
		list:    newSelectList(items, false),
		buttons: []pageButton{{id: "yes", label: "button.yes", primary: true}},
	}}
	s.list.selectID(c.Session.Answers.Language)
	s.onButton = func(_ string, it listItem) tea.Cmd {
		c.SetLocale(it.ID)
		c.Session.Answers.Language = it.ID
		c.Session.Record(flow.RecordAnswer, map[string]string{"language": it.ID})
		return next
	}
	return s
}

func newRegionScreen(c *Common) Screen {
	var items []listItem
	for _, r := range assets.Regions() {
		items = append(items, listItem{ID: r.ISO2, Label: assets.RegionName(r.ISO2, c.Cat.Locale())})
	}
	sortByName(c, items)
	s := &listScreen{listPage{
		c: c, titleID: "region.title", subID: "region.subtitle",
		list:    newSelectList(items, true),
		buttons: []pageButton{{id: "yes", label: "button.yes", primary: true}},
		canBack: c.Session.CanGoBack,
	}}
	sel := c.Session.Answers.Region
	if sel == "" {
		sel = c.RegionDefault
	}
	if !s.list.selectID(sel) {
		s.list.selectID("US")
	}
	s.onButton = func(_ string, it listItem) tea.Cmd {
		a := &c.Session.Answers
		if a.Region != it.ID {
			a.Keyboard, a.Keyboard2 = "", "" // a new region brings its own default layout
		}
		a.Region = it.ID
		c.Session.Record(flow.RecordAnswer, map[string]string{"region": it.ID})
		return next
	}
	return s
}

// keyboardItems lists every layout, those of region first, in the display language.
func keyboardItems(c *Common, region string, exclude string) []listItem {
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

func newKeyboardScreen(c *Common) Screen {
	a := &c.Session.Answers
	s := &listScreen{listPage{
		c: c, titleID: "keyboard.title", subID: "keyboard.subtitle",
		list:    newSelectList(keyboardItems(c, a.Region, ""), true),
		buttons: []pageButton{{id: "yes", label: "button.yes", primary: true}},
		canBack: c.Session.CanGoBack,
	}}
	sel := a.Keyboard
	if sel == "" {
		if r, ok := assets.RegionByISO(a.Region); ok {
			sel = r.Keyboard
		}
	}
	s.list.selectID(sel)
	s.onButton = func(_ string, it listItem) tea.Cmd {
		if a.Keyboard2 == it.ID {
			a.Keyboard2 = ""
		}
		a.Keyboard = it.ID
		c.Session.Record(flow.RecordAnswer, map[string]string{"keyboard": it.ID})
		return next
	}
	return s
}
