package review

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The pages review writes are opened in a real headless Chromium (Debian's chromium, which
// .ci/run installs): every picture loads, nothing is wider than the window, and no request
// leaves the file's folder; a screenshot of each is taken and must show something.

// browser is the Chromium to run, or the test fails in CI and skips, loudly, elsewhere.
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH: .ci/run installs it (apt-get install chromium)")
	}
	t.Log("SKIPPED LOUDLY: no chromium, chromium-browser or google-chrome on PATH; apt-get install chromium to run the browser checks (CI always runs them)")
	t.Skip("no Chromium on this machine")
	return ""
}

// pageCheck is what the page reports about itself once every picture is decoded.
type pageCheck struct {
	Images   int      `json:"images"`
	Broken   []string `json:"broken"`
	Overflow []string `json:"overflow"`
	Width    int      `json:"width"`
	Title    string   `json:"title"`
}

const checkJS = `(async () => {
  const imgs = [...document.images];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  const w = document.documentElement.clientWidth;
  const overflow = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > w + 1)
    .slice(0, 5).map(e => e.tagName + ' ' + (e.id || e.className || ''));
  if (document.documentElement.scrollWidth > w) overflow.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + w);
  return {images: imgs.length, broken: imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src')),
    overflow, width: w, title: document.title};
})()`

// openInBrowser loads the page at path in headless Chromium and checks it.
func openInBrowser(t *testing.T, exe, path string, minImages int) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	var mu sync.Mutex
	var requests []string
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}))
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	page := (&url.URL{Scheme: "file", Path: abs}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatalf("%s in Chromium: %v", path, err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[pageCheck](checkJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s in Chromium: %v", path, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", path, err)
	}
	if res.Images < minImages {
		t.Errorf("%s: %d pictures, want at least %d", path, res.Images, minImages)
	}
	if len(res.Broken) > 0 {
		t.Errorf("%s: %d pictures do not load: %v", path, len(res.Broken), res.Broken[:min(5, len(res.Broken))])
	}
	if len(res.Overflow) > 0 {
		t.Errorf("%s: wider than the %d px window: %v", path, res.Width, res.Overflow)
	}
	dir := "file://" + filepath.ToSlash(filepath.Dir(abs)) + "/"
	mu.Lock()
	for _, u := range requests {
		if !strings.HasPrefix(u, dir) && !strings.HasPrefix(u, "data:") {
			t.Errorf("%s: a request leaves the page's folder: %s", path, u)
		}
	}
	mu.Unlock()
	checkScreenshot(t, path, shot)
}

// checkScreenshot fails for a screenshot that is not a picture or shows one colour only.
func checkScreenshot(t *testing.T, path string, data []byte) {
	t.Helper()
	// FullScreenshot with a quality below 100 is a JPEG; the check is on its size and on a PNG
	// of the first screen when Chromium gives one
	if len(data) < 10_000 {
		t.Errorf("%s: the screenshot has %d bytes: an empty page?", path, len(data))
	}
	if img, err := png.Decode(bytes.NewReader(data)); err == nil {
		b := img.Bounds()
		first := img.At(b.Min.X, b.Min.Y)
		for y := b.Min.Y; y < b.Max.Y; y += 7 {
			for x := b.Min.X; x < b.Max.X; x += 7 {
				if img.At(x, y) != first {
					return
				}
			}
		}
		t.Errorf("%s: the screenshot is one colour", path)
	}
	if os.Getenv("OOBE_KEEP_SCREENSHOTS") != "" {
		_ = os.WriteFile(filepath.Join(os.Getenv("OOBE_KEEP_SCREENSHOTS"), filepath.Base(path)+".jpg"), data, 0o644)
	}
}

// TestGalleryInABrowser: the gallery of the sample tenant in Chromium.
func TestGalleryInABrowser(t *testing.T) {
	exe := browser(t)
	out := t.TempDir()
	g, err := Screens(ScreensOptions{Load: loadDir("../examples/tenants/fabrikam-entra"), Looks: []Look{{Theme: "win10", Locale: "de-DE", Windows: 10, W: 80, H: 24}},
		Formats: []string{"svg", "png", "html"}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	n := len(g.Looks[0].Pictures)
	openInBrowser(t, exe, filepath.Join(out, "index.html"), n)
}

// TestReportInABrowser: the report of two runs in Chromium: the chart is inline, no picture
// is fetched.
func TestReportInABrowser(t *testing.T) {
	exe := browser(t)
	path := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Report(f, readRuns(t, "testdata/demo.jsonl", "testdata/app-failure.jsonl")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	openInBrowser(t, exe, path, 0)
}

// TestDiffInABrowser: the two sample tenants' changed screens side by side in Chromium, both
// pictures of a pair within the window.
func TestDiffInABrowser(t *testing.T) {
	exe := browser(t)
	out := t.TempDir()
	la, lb := loadDir("../examples/tenants/fabrikam-entra"), loadDir("../examples/tenants/fabrikam-entra-eula-escape")
	a, _ := la()
	b, _ := lb()
	if err := DiffPictures(out, "A", "B", la, lb, look120, Diff(a, b, 11)); err != nil {
		t.Fatal(err)
	}
	openInBrowser(t, exe, filepath.Join(out, "index.html"), 2)
}
