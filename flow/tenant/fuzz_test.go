package tenant

import (
	"testing"
	"testing/fstest"
)

// FuzzLoad checks that no input makes Load panic, and that an error never comes with a tenant.
func FuzzLoad(f *testing.F) {
	f.Add(enrollmentCollection)
	f.Add(`{"$schema": "oobe-scenario/1", "wifi": [{"ssid": "a", "signal": 2, "security": "open"}]}`)
	f.Add(`{"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "locale": null,
		"outOfBoxExperienceSetting": {"eulaHidden": true}, "deviceNameTemplate": "A-%RAND:4%"}`)
	f.Add(`{"@odata.context": "x/branding/localizations", "value": [{"id": "0", "cdnList": ["c"]}, {"id": "de-DE"}, 3]}`)
	f.Add(`{"verifiedDomains": [{"name": "x.com", "isDefault": true}], "computerNameSuffixRandomCharCount": 99}`)
	f.Fuzz(func(t *testing.T, data string) {
		tn, err := Load(fstest.MapFS{"d/a.json": {Data: []byte(data)}}, "d")
		if err != nil && tn != nil {
			t.Fatal("tenant returned with an error")
		}
		if err == nil && tn == nil {
			t.Fatal("neither tenant nor error")
		}
	})
}
