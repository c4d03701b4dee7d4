package flow

// Privacy toggle ids of "Choose privacy settings for your device" (reference §1.6), the keys
// of Answers.Privacy.
const (
	// PrivacyLocation is "Location".
	PrivacyLocation = "location"
	// PrivacyFindMyDevice is "Find my device".
	PrivacyFindMyDevice = "findMyDevice"
	// PrivacyDiagnosticData is "Diagnostic data" (send optional diagnostic data).
	PrivacyDiagnosticData = "diagnosticData"
	// PrivacyInking is "Inking & typing".
	PrivacyInking = "inkingTyping"
	// PrivacyTailoredExperiences is "Tailored experiences".
	PrivacyTailoredExperiences = "tailoredExperiences"
	// PrivacyAdvertisingID is "Advertising ID".
	PrivacyAdvertisingID = "advertisingId"
	// PrivacySpeech is "Online speech recognition" (Windows 10 only).
	PrivacySpeech = "onlineSpeechRecognition"
)

// PrivacyToggles returns the toggle ids the privacy page shows on windows, in page order:
// six on Windows 11, seven (with online speech recognition first) on Windows 10.
func PrivacyToggles(windows WindowsVersion) []string {
	ids := []string{
		PrivacyLocation, PrivacyFindMyDevice, PrivacyDiagnosticData,
		PrivacyInking, PrivacyTailoredExperiences, PrivacyAdvertisingID,
	}
	if !windows.Is11() {
		ids = append([]string{PrivacySpeech}, ids...)
	}
	return ids
}

// DefaultPrivacy returns the page's initial choices on windows: every toggle on (diagnostic
// data defaults to optional during OOBE).
func DefaultPrivacy(windows WindowsVersion) map[string]bool {
	out := map[string]bool{}
	for _, id := range PrivacyToggles(windows) {
		out[id] = true
	}
	return out
}
