package ui

import "github.com/oobe-emu/oobe/flow"

// newPage builds the page of step s: the one place that knows which page shows which step.
func newPage(c pageCtx, s flow.StepID) Page {
	switch s {
	case flow.StepLanguage:
		return newLanguagePage(c)
	case flow.StepRegion:
		return newRegionPage(c)
	case flow.StepKeyboard:
		return newKeyboardPage(c)
	case flow.StepKeyboard2:
		return newKeyboard2Page(c)
	case flow.StepNetwork:
		return newNetworkPage(c)
	case flow.StepUpdates, flow.StepQualityUpdates:
		return newUpdatesPage(c)
	case flow.StepEULA:
		return newEULAPage(c)
	case flow.StepDeviceName:
		return newDeviceNamePage(c)
	case flow.StepSetupChoice:
		return newSetupChoicePage(c)
	case flow.StepSignIn:
		return newSignInPage(c)
	case flow.StepESPDevice, flow.StepESPAccount:
		return newESPPage(c)
	case flow.StepPrivacy:
		return newPrivacyPage(c)
	case flow.StepWindowsSignIn:
		return newWinSignInPage(c)
	case flow.StepFSIA:
		return newFSIAPage(c)
	case flow.StepHello:
		return newHelloPage(c)
	case flow.StepDesktop:
		return newDesktopPage(c)
	}
	return newMessagePage(c, c.env.T("error.unknown_step"), string(s))
}
