package server_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/wordfilter/wordfilter/internal/costly"
	"github.com/wordfilter/wordfilter/server"
)

// chromiumPath returns the Chromium (or Chrome) binary the browser tests
// drive, or skips the test naming the package to install.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found: install Debian's package (apt-get install -y chromium) to run the console's browser tests")
	return ""
}

// browser starts headless Chromium for one test; it stops with the test.
// On failure, run writes a screenshot of the page under os.TempDir.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // the tests may run as root in a container
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1000, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser; it takes no timeout, which would
	// stop the browser with it (each later step has one).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return &browser{t: t, ctx: ctx}
}

// stepTimeout bounds each step of a browser test.
const stepTimeout = 30 * time.Second

// do runs steps; on an error it saves a screenshot and fails the test.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.screenshot()
		b.t.Fatalf("%s: %v", what, err)
	}
}

// value runs one action and returns its value, failing the test on error.
func value[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.screenshot()
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (b *browser) text(css string) string {
	b.t.Helper()
	return value(b, "text of "+css, chromedp.TextContent(chromedp.CSS(css)))
}

func (b *browser) attr(css, name string) string {
	b.t.Helper()
	return value(b, name+" of "+css, chromedp.AttributeValue(chromedp.CSS(css), name)).Value
}

func (b *browser) count(css string) int {
	b.t.Helper()
	return value(b, "count of "+css, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(css)+`).length`))
}

// waitText waits (up to 10 s) until the text of css holds want, and
// returns the text it last saw.
func (b *browser) waitText(css, want string) string {
	b.t.Helper()
	js := `new Promise(res => { const end = Date.now() + 10000; const f = () => {
		const e = document.querySelector(` + strconv.Quote(css) + `); const t = e ? e.textContent : "";
		if (t.includes(` + strconv.Quote(want) + `) || Date.now() > end) res(t); else setTimeout(f, 50); }; f(); })`
	return value(b, "text of "+css, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
}

func (b *browser) screenshot() {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	name := filepath.Join(os.TempDir(), "wordfilter-"+strings.NewReplacer("/", "-", " ", "_").Replace(b.t.Name())+".png")
	if os.WriteFile(name, png, 0o644) == nil {
		b.t.Logf("screenshot of the page: %s", name)
	}
}

// failf fails the test with a screenshot.
func (b *browser) failf(format string, args ...any) {
	b.t.Helper()
	b.screenshot()
	b.t.Errorf(format, args...)
}

// TestBrowserConsole opens the console in headless Chromium on a real
// server on 127.0.0.1: the deep link shows the decision and a <mark> whose
// title names category and action; a Chinese text typed and submitted with
// Enter is judged the same way; hostile text stays text; the Traffic view
// draws its charts from that traffic; the reload button shows the new
// version.
func TestBrowserConsole(t *testing.T) {
	b := newBrowser(t)
	ts := newTCPTestServer(t, server.Config{})
	base := "http://" + ts.addr + "/ui/"

	b.do("deep link", chromedp.Navigate(base+"?text=fuck%20you"), chromedp.WaitVisible(chromedp.CSS(`#try-marked mark`)))
	decision, title := b.text(`#try-decision`), b.attr(`#try-marked mark`, "title")
	if marks := b.count(`#try-marked mark`); decision != "mask" || title != "profanity · mask" || marks != 1 {
		b.failf("deep link: decision %q, %d marks, title %q; want mask, 1, %q", decision, marks, title, "profanity · mask")
	}
	if marked, filtered := b.text(`#try-marked`), b.text(`#try-filtered`); marked != "fuck you" || filtered != "**** you" {
		b.failf("deep link: original %q, filtered %q", marked, filtered)
	}

	b.do("typed Chinese text",
		chromedp.Navigate(base),
		chromedp.WaitVisible(chromedp.CSS(`#try-text`)),
		chromedp.SendKeys(chromedp.CSS(`#try-text`), "他们在练法轮功吗"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#try-marked mark`)),
	)
	decision, title = b.text(`#try-decision`), b.attr(`#try-marked mark`, "title")
	markText, lang := b.text(`#try-marked mark`), b.attr(`#try-marked`, "lang")
	if decision != "block" || title != "politics · block" || markText != "法轮功" || lang != "zh" {
		b.failf("Chinese: decision %q, title %q, mark %q, lang %q; want block, politics · block, 法轮功, zh", decision, title, markText, lang)
	}

	b.do("hostile text", chromedp.Navigate(base+"?text=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3Efuck"),
		chromedp.WaitVisible(chromedp.CSS(`#try-marked mark`)))
	if injected, markText := b.count(`#try-result img`), b.text(`#try-marked mark`); injected != 0 || markText != "fuck" {
		b.failf("hostile text: %d img elements made from it, mark %q", injected, markText)
	}

	// The ring shows complete seconds only: wait for this one to end.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond)))
	b.do("traffic view", chromedp.Navigate(base+"#traffic"), chromedp.WaitVisible(chromedp.CSS(`#chart-cats svg rect.bar`)))
	if bars, lines := b.count(`#chart-cats rect.bar`), b.count(`#chart-rps polyline`); bars != 2 || lines != 5 {
		b.failf("traffic: %d category bars, %d decision lines; want 2 (profanity, politics) and 5", bars, lines)
	}

	b.do("dictionary view", chromedp.Navigate(base+"#dict"), chromedp.WaitVisible(chromedp.CSS(`#dict-info dd`)))
	if v := b.waitText(`#dict-info`, "v1"); !strings.Contains(v, "v1") {
		b.failf("dictionary view: %q does not show version v1", v)
	}
	ts.src.cur.Store(newDict(t, "v2", testWords)) // the folder changed on disk
	b.do("reload button", chromedp.Click(chromedp.CSS(`#dict-reload`)))
	if msg := b.waitText(`#dict-reload-msg`, "v2"); msg != "Reloaded: version v2" {
		b.failf("after the reload button: message %q, want %q", msg, "Reloaded: version v2")
	}
	if v := b.waitText(`#dict-info`, "v2"); !strings.Contains(v, "v2") {
		b.failf("after the reload: the view shows %q, not version v2", v)
	}

	// A text that reaches a limit of the variant readings says so; one
	// that does not, not.
	hidden := func() bool {
		return value(b, "#try-incomplete hidden", chromedp.Evaluate[bool](`document.querySelector("#try-incomplete").hidden`))
	}
	if !hidden() {
		b.failf("the incomplete note shows after %q", "<img src=x onerror=alert(1)>fuck")
	}
	ts.src.cur.Store(ilDict(t))
	b.do("costly text", chromedp.Navigate(base), chromedp.WaitVisible(chromedp.CSS(`#try-text`)),
		chromedp.SetValue(chromedp.CSS(`#try-text`), costly.Text),
		chromedp.Click(chromedp.CSS(`#try-submit`)), chromedp.WaitVisible(chromedp.CSS(`#try-incomplete`)))
	if mark := b.text(`#try-marked mark`); mark != "sh1t" || hidden() {
		b.failf("costly text: mark %q, incomplete note hidden %v; want sh1t, false", mark, hidden())
	}
}
