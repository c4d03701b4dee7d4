package review

import (
	"fmt"

	"github.com/oobe-emu/oobe/flow"
	"github.com/oobe-emu/oobe/flow/backend/sim"
)

// PlanLine is one step of the OOBE: whether this tenant's device shows it, and why.
type PlanLine struct {
	Step   flow.StepID
	Shown  bool
	Reason string
}

// bootOf is how the tenant's device boots: its display languages, on Ethernet (the profile
// known before the first page) when the scenario has a cable with internet.
func bootOf(w *sim.World, windows flow.WindowsVersion) flow.Boot {
	wired := w.Scenario.Ethernet.Present && w.Scenario.Ethernet.Internet
	return flow.Boot{Languages: w.Scenario.DisplayLanguages, Wired: wired, ProfileKnown: wired, Windows: windows}
}

// PlanOf is every step of the OOBE for the tenant's device, shown or hidden, with the
// setting or the device state that decides it (reference §1.2).
func PlanOf(w *sim.World, windows flow.WindowsVersion) []PlanLine {
	p := w.Profile
	b := bootOf(w, windows)
	prefetched := b.Wired && b.ProfileKnown
	var out []PlanLine
	for _, s := range flow.AllSteps {
		shown := flow.Visible(s, p, b)
		out = append(out, PlanLine{Step: s, Shown: shown, Reason: reason(s, shown, p, b, prefetched)})
	}
	return out
}

func reason(s flow.StepID, shown bool, p flow.Profile, b flow.Boot, prefetched bool) string {
	switch s {
	case flow.StepLanguage:
		if len(b.Languages) < 2 {
			return "the image has one display language"
		}
		if !shown {
			return fmt.Sprintf("the profile, known on Ethernet before the first page, sets the language %s", p.Locale)
		}
		return fmt.Sprintf("the image has %d display languages", len(b.Languages))
	case flow.StepRegion, flow.StepKeyboard, flow.StepKeyboard2:
		if !shown {
			return "the profile, known on Ethernet before the first page, sets the language and the keyboard"
		}
		if !prefetched {
			return "the profile is not known yet (the device is on Wi-Fi): Windows asks"
		}
		return "the profile does not set both the language and the keyboard"
	case flow.StepNetwork:
		if !shown {
			return "the device is on Ethernet with internet"
		}
		return "the device has no cable with internet: it joins Wi-Fi"
	case flow.StepUpdates, flow.StepSignIn, flow.StepFSIA, flow.StepDesktop:
		if s == flow.StepSignIn {
			return signInReason(p)
		}
		return "always"
	case flow.StepEULA:
		if !shown {
			return "EULA hidden by the profile (hideEULA)"
		}
		return "the profile shows the license terms"
	case flow.StepPrivacy:
		if !shown {
			return "privacy settings hidden by the profile (hidePrivacySettings)"
		}
		return "the profile shows the privacy settings"
	case flow.StepESPDevice, flow.StepESPAccount:
		if !shown {
			return "the ESP profile does not show the installation progress"
		}
		msg := fmt.Sprintf("the ESP shows the installation progress; timeout %d min", p.ESP.TimeoutMinutes)
		if p.ESP.CustomErrorMessage != "" {
			msg += "; custom error message"
		}
		return msg
	case flow.StepWindowsSignIn:
		if !shown && flow.Visible(flow.StepQualityUpdates, p, b) {
			return "not planned; the quality updates restart the device, which adds it: the user signs in again"
		}
		if !shown {
			return "only a Microsoft Entra hybrid join signs in at the Windows sign-in"
		}
		return "Microsoft Entra hybrid join: the user signs in with the on-premises account"
	case flow.StepQualityUpdates:
		switch {
		case shown:
			return "the ESP installs quality updates (Windows 11)"
		case !b.Windows.Is11():
			return "Windows 10 has no quality updates page"
		case p.Join == flow.JoinHybrid:
			return "not part of the hybrid OOBE"
		}
		return "the ESP profile does not install quality updates"
	case flow.StepHello:
		if !shown {
			return "Windows Hello for Business disabled by policy"
		}
		if p.Hello.State == flow.HelloEnabled {
			return "Windows Hello for Business required by policy"
		}
		return "not configured: the client default offers the PIN"
	}
	return ""
}

func signInReason(p flow.Profile) string {
	if p.EscapeLinkHidden {
		return "always; the escape link (Sign in with another account / Start over) hidden by the profile (hideEscapeLink)"
	}
	return "always; the escape link shown"
}
