package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// wantOneLine runs oobe with args and checks it exits 1 with exactly the line want on stderr,
// before the terminal check.
func wantOneLine(t *testing.T, args []string, want string) {
	t.Helper()
	code, out, errs := runArgs(args, env())
	if code != 1 || out != "" || errs != want+"\n" {
		t.Errorf("oobe %q: exit %d, stdout %q, stderr\n%q, want exit 1 and\n%q", args, code, out, errs, want)
	}
}

// TestUnreadableInputs: whatever file the flags name (a device, a directory, a file over the
// size limit or nested too deep, a link in a tenant folder leading to a device) oobe prints one
// line naming the file and the problem and exits 1, without running out of memory.
func TestUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	big := writeFile(t, dir, "big.json", bytes.Repeat([]byte(" "), 4<<20+1))
	deep := writeFile(t, dir, "deep.json", bytes.Repeat([]byte("["), 3_000_000))
	wantOneLine(t, []string{"--scenario", dir}, "oobe: "+dir+": cannot read: a directory, not a regular file")
	wantOneLine(t, []string{"--scenario", big}, "oobe: "+big+": cannot read: larger than the 4 MiB limit")
	wantOneLine(t, []string{"--scenario", deep}, "oobe: "+deep+":1:257: arrays and objects nested more than 256 deep, the limit")
	wantOneLine(t, []string{"--answers", big}, "oobe: --answers: "+big+": larger than the 4 MiB limit")
	wantOneLine(t, []string{"--answers", deep}, "oobe: --answers: "+deep+":1:257: arrays and objects nested more than 256 deep, the limit")
	if runtime.GOOS == "windows" {
		return
	}
	wantOneLine(t, []string{"--scenario", "/dev/zero"}, "oobe: /dev/zero: cannot read: a character device, not a regular file")
	wantOneLine(t, []string{"--answers", "/dev/zero"}, "oobe: --answers: /dev/zero: a character device, not a regular file")
	tenant := filepath.Join(dir, "tenant")
	if err := os.Mkdir(tenant, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, tenant, "organization.json", []byte(`{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization/$entity", "id": "x", "displayName": "Contoso", "verifiedDomains": [{"name": "contoso.example", "isDefault": true}]}`))
	link := filepath.Join(tenant, "profile.json")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	wantOneLine(t, []string{"--tenant", tenant}, "oobe: "+link+": cannot read: a character device, not a regular file")
}
