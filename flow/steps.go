package flow

// StepID names one OOBE screen (the suggested ids of reference §1.2).
type StepID string

// The steps of a user-driven deployment, in the order they can appear.
const (
	StepLanguage  StepID = "language"
	StepRegion    StepID = "region"
	StepKeyboard  StepID = "keyboard"
	StepKeyboard2 StepID = "keyboard2"
	StepNetwork   StepID = "network"
	StepUpdates   StepID = "updates"
	StepEULA      StepID = "eula"
	// StepDeviceName is "Let's name your device" (Windows 11), which Autopilot skips: only a
	// device Autopilot does not know shows it.
	StepDeviceName StepID = "device-name"
	// StepSetupChoice is "How would you like to set up this device?" (personal use, or work
	// or school), which Autopilot skips.
	StepSetupChoice StepID = "setup-choice"
	StepSignIn      StepID = "signin"
)

// The steps after sign-in of a Microsoft Entra join (reference §1.2 rows 9–15), in order.
const (
	// StepESPDevice is the Enrollment Status Page, Device preparation and Device setup.
	StepESPDevice StepID = "esp-device"
	// StepPrivacy is "Choose privacy settings for your device".
	StepPrivacy StepID = "privacy"
	// StepWindowsSignIn is the Windows sign-in screen: planned for a Microsoft Entra hybrid
	// join (Ctrl+Alt+Del, then the on-premises credentials; reference §1.4 step 6), and
	// added to an Entra join's plan by a restart after the sign-in (§1.7, §3.7).
	StepWindowsSignIn StepID = "windows-signin"
	// StepFSIA is the first sign-in animation ("Hi", "This might take several minutes").
	StepFSIA StepID = "fsia"
	// StepESPAccount is the Enrollment Status Page, Account setup.
	StepESPAccount StepID = "esp-account"
	// StepQualityUpdates is the monthly quality update page at the end of OOBE (Windows 11).
	StepQualityUpdates StepID = "quality-updates"
	// StepHello is Windows Hello for Business: the PIN set-up.
	StepHello StepID = "whfb"
	// StepDesktop is the end: the desktop.
	StepDesktop StepID = "desktop"
)

// AllSteps lists every step the graph knows, in canonical order.
var AllSteps = []StepID{
	StepLanguage, StepRegion, StepKeyboard, StepKeyboard2,
	StepNetwork, StepUpdates, StepEULA, StepDeviceName, StepSetupChoice, StepSignIn,
	StepESPDevice, StepPrivacy, StepWindowsSignIn, StepFSIA, StepESPAccount, StepQualityUpdates, StepHello, StepDesktop,
}

// Boot is what the device knows when OOBE starts.
type Boot struct {
	// Languages are the display languages installed on the image.
	Languages []string `json:"languages"`
	// Wired is true when an Ethernet link with internet is up at boot.
	Wired bool `json:"wired"`
	// ProfileKnown is true when the Autopilot profile was downloaded before the first page
	// (AutoPilotPrefetch); it needs Wired.
	ProfileKnown bool `json:"profileKnown"`
	// Windows is the Windows release whose OOBE is emulated: a run input, not something the
	// backend reports.
	Windows WindowsVersion `json:"windows,omitempty"`
}

// Visible reports whether step s shows for profile p on a device that booted as b.
// Rules (reference §1.2, §1.10): region and keyboard pages disappear only when the profile was
// known before them, which needs a wired network at boot; the network page disappears when
// the device is wired at boot; updates and sign-in always show. After sign-in: both ESP
// steps need ESP.Show; privacy disappears with PrivacyHidden; the first sign-in animation and
// the desktop always show; quality updates need Windows 11 (Boot.Windows), ESP.Show and
// ESP.InstallQualityUpdates; the Windows Hello page disappears when Hello.State is disabled.
// A Microsoft Entra hybrid join adds the Windows sign-in after privacy (the user signs in with
// the on-premises credentials, reference §1.4): Account setup then holds the Microsoft Entra
// prompt ("Stay signed in to all your apps", "You're all set!") and may lock when left alone,
// and its Sign out adds the Windows sign-in once more before the rest (Microsoft's hybrid
// "Deploy the device", steps 8–9; flow/run). Quality updates are not part of its emulated
// OOBE (as the samples' hybrid order), and the PIN page shows only when the policy enables
// Windows Hello for Business.
func Visible(s StepID, p Profile, b Boot) bool {
	prefetched := b.ProfileKnown && b.Wired
	switch s {
	case StepLanguage:
		if len(b.Languages) < 2 {
			return false
		}
		return !(prefetched && p.LocaleSet())
	case StepRegion:
		return !(prefetched && p.LocaleSet() && p.KeyboardSkipped)
	case StepKeyboard, StepKeyboard2:
		return !(prefetched && p.LocaleSet() && p.KeyboardSkipped)
	case StepNetwork:
		return !b.Wired
	case StepUpdates, StepSignIn, StepFSIA, StepDesktop:
		return true
	case StepEULA:
		return !p.EULAHidden
	case StepDeviceName:
		// reference §1.2: Autopilot skips "Let's name your device"; Windows 10 has no such page
		return p.NotAutopilot && b.Windows.Is11()
	case StepSetupChoice:
		return p.NotAutopilot
	case StepESPDevice, StepESPAccount:
		return p.ESP.Show && !p.NotAutopilot
	case StepPrivacy:
		return !p.PrivacyHidden
	case StepWindowsSignIn:
		return p.Join == JoinHybrid
	case StepQualityUpdates:
		return p.Join != JoinHybrid && b.Windows.Is11() && p.ESP.Show && p.ESP.InstallQualityUpdates && !p.NotAutopilot
	case StepHello:
		// Windows offers Hello by itself only on Entra-joined PCs; a hybrid device gets the
		// page when the policy turns Windows Hello for Business on
		if p.Join == JoinHybrid {
			return p.Hello.State == HelloEnabled
		}
		return p.Hello.State != HelloDisabled
	}
	return false
}

// Plan returns the visible steps for profile p and boot state b, in order.
func Plan(p Profile, b Boot) []StepID {
	var out []StepID
	for _, s := range AllSteps {
		if Visible(s, p, b) {
			out = append(out, s)
		}
	}
	return out
}

// CanGoBack reports whether Windows offers a way back from step s (Esc / back arrow).
// There is no way back once the device has gone online and started checking for updates.
func CanGoBack(s StepID) bool {
	switch s {
	case StepRegion, StepKeyboard, StepKeyboard2, StepNetwork:
		return true
	}
	return false
}
