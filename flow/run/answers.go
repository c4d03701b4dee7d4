package run

import (
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// The intents of the pages that only collect an answer: each records the button and the
// answer and moves on to the next step.

// ChooseLanguage answers the language page: every later page is in tag.
func (r *Run) ChooseLanguage(tag string) error {
	if err := r.at(flow.StepLanguage); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "yes"})
	r.locale = tag
	r.session.Answers.Language = tag
	r.log(flow.RecordAnswer, flow.AnswerData{Language: tag})
	r.advance()
	return nil
}

// ChooseRegion answers the region page (ISO 3166 alpha-2); another region than before
// forgets the keyboard layouts chosen for the old one.
func (r *Run) ChooseRegion(iso string) error {
	if err := r.at(flow.StepRegion); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "yes"})
	a := &r.session.Answers
	if a.Region != iso {
		a.Keyboard, a.Keyboard2 = "", ""
	}
	a.Region = iso
	r.log(flow.RecordAnswer, flow.AnswerData{Region: iso})
	r.advance()
	return nil
}

// ChooseKeyboard answers the keyboard page (a KLID).
func (r *Run) ChooseKeyboard(klid string) error {
	if err := r.at(flow.StepKeyboard); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "yes"})
	a := &r.session.Answers
	if a.Keyboard2 == klid {
		a.Keyboard2 = ""
	}
	a.Keyboard = klid
	r.log(flow.RecordAnswer, flow.AnswerData{Keyboard: klid})
	r.advance()
	return nil
}

// AddKeyboard answers the second-keyboard page with a layout (Add layout in the picker).
func (r *Run) AddKeyboard(klid string) error {
	if err := r.at(flow.StepKeyboard2); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "add"})
	r.session.Answers.Keyboard2 = klid
	r.log(flow.RecordAnswer, flow.AnswerData{Keyboard2: &klid})
	r.advance()
	return nil
}

// SkipKeyboard answers the second-keyboard page with Skip.
func (r *Run) SkipKeyboard() error {
	if err := r.at(flow.StepKeyboard2); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "skip"})
	none := ""
	r.session.Answers.Keyboard2 = none
	r.log(flow.RecordAnswer, flow.AnswerData{Keyboard2: &none})
	r.advance()
	return nil
}

// AcceptEULA accepts the license agreement.
func (r *Run) AcceptEULA() error {
	if err := r.at(flow.StepEULA); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "accept"})
	r.session.Answers.EULAAccepted = true
	r.log(flow.RecordAnswer, flow.AnswerData{EULAAccepted: true})
	r.advance()
	return nil
}

// RecordEULAButton records a button of the license agreement's decline confirmation
// ("decline", "goback") that changes nothing in the run.
func (r *Run) RecordEULAButton(button string) {
	if r.at(flow.StepEULA) == nil {
		r.log(flow.RecordButton, flow.ButtonData{Button: button})
	}
}

// TurnOff declines the license agreement for good: the device turns off and the run ends
// (Restart starts a fresh one).
func (r *Run) TurnOff() error {
	if err := r.at(flow.StepEULA); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "turnoff"})
	r.end("eula_declined", "")
	return nil
}

// AcceptPrivacy accepts the privacy page with choices (toggle id → on); toggles left out
// keep their default (on), ids the page does not show are ignored.
func (r *Run) AcceptPrivacy(choices map[string]bool) error {
	if err := r.at(flow.StepPrivacy); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "accept"})
	ans := flow.DefaultPrivacy(r.cfg.Windows)
	for id := range ans {
		if v, ok := choices[id]; ok {
			ans[id] = v
		}
	}
	r.session.Answers.Privacy = ans
	r.log(flow.RecordAnswer, flow.AnswerData{Privacy: ans})
	r.advance()
	return nil
}

// PrivacyChoices are the choices the privacy page starts with: the ones accepted before
// (coming back), else the defaults.
func (r *Run) PrivacyChoices() map[string]bool {
	out := flow.DefaultPrivacy(r.cfg.Windows)
	for id, v := range r.Answers().Privacy {
		if _, ok := out[id]; ok {
			out[id] = v
		}
	}
	return out
}

// displayName is the signed-in user's name for greetings: the directory's, else the
// assigned user's friendly name, else "".
func (r *Run) displayName() string {
	if r.user.DisplayName != "" {
		return r.user.DisplayName
	}
	if a := r.Device().AssignedUser; a != nil && strings.EqualFold(a.UPN, r.user.UPN) {
		return a.FriendlyName
	}
	return ""
}

// Greeting is the name the first sign-in animation greets ("Hi, Megan"), "" when unknown.
func (r *Run) Greeting() string { return r.displayName() }

// NameDevice answers "Let's name your device" with name (a device Autopilot does not know):
// a name Windows refuses stays on the page (the error says why).
func (r *Run) NameDevice(name string) error {
	if err := r.at(flow.StepDeviceName); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "next"})
	name = strings.TrimSpace(name)
	if err := flow.ValidateDeviceName(name); err != nil {
		r.log(flow.RecordError, flow.ErrorData{Error: "device_name", Detail: err.Error()})
		return err
	}
	r.session.Answers.DeviceName = name
	r.log(flow.RecordAnswer, flow.AnswerData{DeviceName: name})
	r.advance()
	return nil
}

// SkipDeviceName is "Skip for now" on "Let's name your device": Windows keeps its own
// DESKTOP-… name.
func (r *Run) SkipDeviceName() error {
	if err := r.at(flow.StepDeviceName); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "skip"})
	r.advance()
	return nil
}

// ChooseSetup answers "How would you like to set up this device?": work or school goes on to
// the sign-in; personal use leaves the organization's deployment: the run ends ("personal"),
// as a personal setup goes on with a Microsoft account that no organization manages.
func (r *Run) ChooseSetup(work bool) error {
	if err := r.at(flow.StepSetupChoice); err != nil {
		return err
	}
	r.log(flow.RecordButton, flow.ButtonData{Button: "next"})
	choice := "personal"
	if work {
		choice = "work"
	}
	r.session.Answers.SetupFor = choice
	r.log(flow.RecordAnswer, flow.AnswerData{SetupFor: choice})
	if !work {
		r.end("personal", "")
		return nil
	}
	r.advance()
	return nil
}
