package sim

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/oobe-emu/oobe/flow"
)

// Fault is a failure a trainer shows on cue (issue 10, reference §6): its name, where it
// appears, Windows' code there and what it means, in our own words. Applying it changes the
// world before a run, so the failure comes at its real place.
type Fault struct {
	// Name is how --fault and a scenario's "faults" name it ("unlicensed").
	Name string `json:"name"`
	// Where is the page or ESP item it appears on.
	Where string `json:"where"`
	// Code is Windows' code shown there ("80180018", "0x81036502"); "" when none is shown.
	Code string `json:"code,omitempty"`
	// Description says what it means, in one line.
	Description string `json:"description"`
	// HybridOnly is true for a fault only a Microsoft Entra hybrid join meets.
	HybridOnly bool `json:"hybridOnly,omitempty"`

	apply func(*World)
}

// enrollFault fails every user's enrollment with code.
func enrollFault(name, code, desc string) Fault {
	return Fault{Name: name, Where: "sign-in: enrollment, after the password and MFA", Code: code, Description: desc,
		apply: func(w *World) {
			for i := range w.Scenario.Users {
				w.Scenario.Users[i].EnrollError = code
			}
		}}
}

// appFault makes the first app the ESP blocks on fail with code, for everyone, every time.
func appFault(name, code, desc string) Fault {
	return Fault{Name: name, Where: "Enrollment Status Page: Device setup, Apps", Code: code, Description: desc,
		apply: func(w *World) {
			blocks := w.Profile.ESP.BlockingSet()
			for i, a := range w.Scenario.Apps {
				if inPhase(a.Context, flow.ESPDeviceSetup) && blocks(a.ID) {
					w.Scenario.Apps[i].FailCode, w.Scenario.Apps[i].FailTimes, w.Scenario.Apps[i].FailFor = code, 0, nil
					return
				}
			}
			w.Scenario.Apps = append(w.Scenario.Apps, ScenarioApp{ID: "fault-" + name, Name: "Line-of-business app", Seconds: 3, FailCode: code})
		}}
}

// faults is the catalogue, in the order a deployment meets them.
var faults = []Fault{
	{Name: "not-registered", Where: "after the network: the ordinary OOBE pages (Let's name your device, How would you like to set up this device?)",
		Description: "the device's hardware hash was never uploaded to Autopilot (event 807 ZtdDeviceIsNotRegistered): no profile, no branding, the consumer and enterprise pages",
		apply:       func(w *World) { w.Scenario.Unregistered = "not_registered" }},
	{Name: "no-profile", Where: "after the network: the ordinary OOBE pages (Let's name your device, How would you like to set up this device?)",
		Description: "the device is registered but no deployment profile is assigned to it (event 815): the ordinary OOBE runs; assign a profile, then restart (Shift+F10, shutdown /r /t 0)",
		apply:       func(w *World) { w.Scenario.Unregistered = "no_profile" }},
	{Name: "no-internet", Where: "network page", Description: "every network connects without internet: Next stays unavailable",
		apply: func(w *World) {
			for i := range w.Scenario.WiFi {
				w.Scenario.WiFi[i].Internet = false
			}
			w.Scenario.Ethernet.Internet = false
		}},
	{Name: "network-lost", Where: "any page after the network: the internet connection drops",
		Description: "the device loses the internet: networks connect without it, and the sign-in, the enrollment, the updates and the ESP's installs wait for it (the ESP timeout keeps running); turned off, everything goes on",
		apply:       func(w *World) { w.Scenario.NetworkLost = true }},
	{Name: "mfa-denied", Where: "sign-in: Approve sign in request", Description: "every user denies the Authenticator request; the way out is a code, or Start over",
		apply: func(w *World) {
			for i := range w.Scenario.Users {
				w.Scenario.Users[i].MFADeny = true
			}
		}},
	{Name: "idp-blocked", Where: "sign-in: after the user name", Code: "OOBEIDPS", Description: "a proxy or firewall blocks the identity provider: the sign-in cannot go on from this network",
		apply: func(w *World) { w.Scenario.IdentityProviderBlocked = "OOBEIDPS" }},
	{Name: "sign-in-urls-blocked", Where: "sign-in: after the user name", Code: "caa70007", Description: "the sign-in service's addresses are unreachable (a captive portal, a proxy)",
		apply: func(w *World) { w.Scenario.IdentityProviderBlocked = "caa70007" }},
	{Name: "adfs", Where: "sign-in: the organization's AD FS page, after the user name",
		Description: "the domains are federated (AD FS) and the device is assigned to its first user: the AD FS page takes the password, and a different user can sign in there (known issue: the assignment is not enforced)",
		apply: func(w *World) {
			w.Organization.FederatedDomains = slices.Clone(w.Organization.Domains)
			if w.DeviceIdentity == nil {
				w.DeviceIdentity = &flow.DeviceIdentity{Serial: w.Scenario.Device.Serial}
			}
			if strings.TrimSpace(w.DeviceIdentity.UPN) == "" && len(w.Scenario.Users) > 0 {
				u := w.Scenario.Users[0]
				w.DeviceIdentity.UPN = u.UPN
				if first := strings.Fields(u.DisplayName); len(first) > 0 {
					w.DeviceIdentity.FriendlyName = first[0]
				}
			}
		}},
	enrollFault("platform-restriction", "80180014", "an enrollment restriction blocks Windows devices like this one"),
	enrollFault("unlicensed", "80180018", "the user has no Intune licence, or reached the device limit"),
	enrollFault("join-not-allowed", "801c0003", "the user may not join devices to Microsoft Entra ID, or reached the join quota"),
	enrollFault("device-object-disabled", "801c03ed", "the device's object in Microsoft Entra ID is disabled or was deleted"),
	enrollFault("enrolled-by-another-user", "8018000a", "the device is already enrolled by another user"),
	enrollFault("home-edition", "80180022", "Windows Home cannot enroll: the device needs Pro, Enterprise or Education"),
	enrollFault("legacy-agent", "80180026", "the legacy Intune PC agent is installed and blocks MDM enrollment"),
	{Name: "dc-unreachable", Where: "Enrollment Status Page: Device preparation, Joining your organization's network", Code: "0x" + "80070774",
		HybridOnly:  true,
		Description: "no domain controller of the Domain Join profile's domain answers (or the connector cannot create the computer object)",
		apply:       func(w *World) { no := false; w.Scenario.DomainController.Reachable = &no }},
	{Name: "restart-during-setup", Where: "Enrollment Status Page: Device setup", Description: "the device restarts once during Device setup; the Windows sign-in comes before Account setup",
		apply: func(w *World) { w.Scenario.DeviceSetupReboot = true }},
	{Name: "stuck-identifying", Where: "Enrollment Status Page: Account setup", Description: "Account setup stays on Identifying, as for a user without an Intune licence, until the ESP timeout",
		apply: func(w *World) { w.Scenario.AccountIdentifying = true }},
	appFault("app-failure", "0x81036502", "a required app fails to install: Try again, Reset device or Continue anyway as the ESP allows"),
	appFault("app-error-code", "0x87D1041C", "a required app reports its own error code"),
	{Name: "esp-timeout", Where: "Enrollment Status Page: Device setup", Description: "an app installs longer than the ESP timeout: Setup is taking longer than expected (F6 brings it on cue)",
		apply: func(w *World) {
			limit := max(w.Profile.ESP.TimeoutMinutes, 60)
			w.Scenario.Apps = append(w.Scenario.Apps, ScenarioApp{ID: "fault-esp-timeout", Name: "Offline maps (large)", Seconds: float64(limit * 60 * 2)})
		}},
}

// Faults returns the catalogue of faults, in the order a deployment meets them.
func Faults() []Fault {
	out := slices.Clone(faults)
	for i := range out {
		out[i].apply = nil
	}
	return out
}

// ApplyFault changes w so that the fault named name happens at its place; an unknown name is
// an error listing the known ones.
func ApplyFault(w *World, name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, f := range faults {
		if f.Name == name {
			f.apply(w)
			return nil
		}
	}
	return unknownFault(name)
}

// unknownFault is the error for a fault name not in the catalogue: it lists the known ones.
func unknownFault(name string) error {
	names := make([]string, len(faults))
	for i, f := range faults {
		names[i] = f.Name
	}
	return fmt.Errorf("no fault named %q; the faults are %s (oobe faults lists them)", name, strings.Join(names, ", "))
}

// state is one consistent world the backend plays: the base world with the faults that are
// on (in catalogue order).
type state struct {
	tenant flow.Tenant
	scen   Scenario
	on     []string
}

// activeFaults returns the fault names of specs that apply from power-on (a spec with
// @STEP is the run's to turn on later), lower-cased, unknown ones dropped (a scenario's are
// validated before), in catalogue order.
func activeFaults(specs []string) []string {
	want := map[string]bool{}
	for _, s := range specs {
		f, err := flow.ParseFaultSpec(s)
		if err == nil && f.At == "" {
			want[f.Name] = true
		}
	}
	var on []string
	for _, f := range faults {
		if want[f.Name] {
			on = append(on, f.Name)
		}
	}
	return on
}

// setState makes the backend play its base world with the faults named on.
func (b *Backend) setState(on []string) {
	w := World{Tenant: cloneTenant(b.base.Tenant), Scenario: b.base.Scenario.Clone()}
	for _, name := range on {
		_ = ApplyFault(&w, name)
	}
	w.Scenario.Faults = slices.Clone(on)
	b.st.Store(&state{tenant: w.Tenant, scen: w.Scenario, on: on})
}

// sc is the scenario the backend plays now; never change it.
func (b *Backend) sc() *Scenario { return &b.st.Load().scen }

// tn is the tenant the backend plays now; never change it.
func (b *Backend) tn() *flow.Tenant { return &b.st.Load().tenant }

var _ flow.Trainer = (*Backend)(nil)

// Faults lists the catalogue with the faults that are on (flow.Trainer).
func (b *Backend) Faults(ctx context.Context) ([]flow.FaultInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	on := b.st.Load().on
	out := make([]flow.FaultInfo, len(faults))
	for i, f := range faults {
		out[i] = f.Info()
		out[i].On = slices.Contains(on, f.Name)
	}
	return out, nil
}

// SetFault turns a fault on or off from now on (flow.Trainer): the backend plays its base
// world with the new set of faults. Apps already planned by a running ESP phase keep their
// place, but whether one fails is decided when its install ends, so an app fault turned on
// during Device setup fails the app that finishes next in its category's order.
func (b *Backend) SetFault(ctx context.Context, name string, on bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if !slices.ContainsFunc(faults, func(f Fault) bool { return f.Name == name }) {
		return flow.Errorf(flow.CodeBadRequest, "%v", unknownFault(name))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	cur := b.st.Load().on
	want := map[string]bool{name: on}
	for _, n := range cur {
		if n != name {
			want[n] = true
		}
	}
	var next []string
	for _, f := range faults {
		if want[f.Name] {
			next = append(next, f.Name)
		}
	}
	if slices.Equal(next, cur) {
		return nil
	}
	b.setState(next)
	return nil
}

// Info is the fault as the flow.Trainer port lists it.
func (f Fault) Info() flow.FaultInfo {
	return flow.FaultInfo{Name: f.Name, Where: f.Where, Code: f.Code, Description: f.Description, HybridOnly: f.HybridOnly}
}

// Rehearsal is what a person of this world types on a practice run (flow.Trainer), chosen
// from the world without its faults: the first Wi-Fi network with internet that a person
// can join with a key (open, or psk), the assigned user or else the first one, their
// password and code, and a PIN the profile's Windows Hello policy accepts.
func (b *Backend) Rehearsal(ctx context.Context) (flow.Rehearsal, error) {
	if err := ctx.Err(); err != nil {
		return flow.Rehearsal{}, err
	}
	w := &b.base
	var r flow.Rehearsal
	if !(b.wired || (w.Scenario.Ethernet.Present && w.Scenario.Ethernet.Internet)) {
		for _, n := range w.Scenario.WiFi {
			if n.Internet && n.Security != flow.SecurityEnterprise {
				r.SSID, r.Hidden, r.Key = n.SSID, n.Hidden, n.Key
				break
			}
		}
	}
	users := w.Scenario.Users
	if len(users) == 0 {
		return r, flow.Errorf(flow.CodeBadRequest, "the scenario has no user to sign in")
	}
	u := users[0]
	if id := w.DeviceIdentity; id != nil {
		if a, ok := w.Scenario.User(id.UPN); ok {
			u = a
		}
	}
	r.UPN, r.Password = u.UPN, u.Password
	if u.MFA == flow.MFACode {
		r.Code = u.Code()
	}
	r.PIN = flow.ExamplePIN(w.Profile.Hello)
	return r, nil
}
