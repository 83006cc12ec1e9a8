package server

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"io/fs"
	"path"
	"strings"

	"github.com/valyala/fasthttp"
)

// uiFiles are the operator console's files, served under /ui/ as they are
// written: no build step, nothing fetched from another host.
//
//go:embed ui
var uiFiles embed.FS

// uiPrefix starts every console path.
const uiPrefix = "/ui/"

// consoleCSP is the Content-Security-Policy of the console's files: the
// page talks to this server only, and runs no inline script or style.
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// uiAsset is one embedded file and the Content-Type it is served with.
type uiAsset struct {
	body  []byte
	ctype string
}

// console holds the console's files, read once from uiFiles by
// newConsole, and the gate page: what a client without access gets.
type console struct {
	assets map[string]uiAsset // by path under /ui/, "" for index.html
	// gate is index.html with its script and style written inline, served
	// (401 or 403) to a client without access: it says what to do, asks
	// for the admin token and, given one, becomes the console, because a
	// browser cannot send the token when it loads a script or a style.
	gate    []byte
	gateCSP string
}

// uiTypes maps a file extension to its Content-Type.
var uiTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",
}

// newConsole reads the embedded files. It panics if they are not what the
// binary was built with (a build error, not a run-time one).
func newConsole() *console {
	c := &console{assets: map[string]uiAsset{}}
	err := fs.WalkDir(uiFiles, "ui", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := uiFiles.ReadFile(p)
		if err != nil {
			return err
		}
		ctype, ok := uiTypes[path.Ext(p)]
		if !ok {
			ctype = "application/octet-stream"
		}
		c.assets[strings.TrimPrefix(p, "ui/")] = uiAsset{body: b, ctype: ctype}
		return nil
	})
	if err != nil {
		panic("server: embedded console files: " + err.Error())
	}
	index, ok := c.assets["index.html"]
	if !ok {
		panic("server: embedded console files: no index.html")
	}
	c.assets[""] = index
	c.gate, c.gateCSP = inlineAssets(index.body, c.assets["style.css"].body, c.assets["app.js"].body)
	return c
}

// inlineAssets returns page with its style.css link and app.js script
// replaced by their contents, marked as the gate (data-gate on body), and
// the CSP that allows exactly those inline contents by their hashes.
func inlineAssets(page, css, js []byte) ([]byte, string) {
	const link = `<link rel="stylesheet" href="style.css">`
	const script = `<script src="app.js" defer></script>`
	if !bytes.Contains(page, []byte(link)) || !bytes.Contains(page, []byte(script)) {
		panic("server: embedded index.html does not load style.css and app.js as expected")
	}
	// The script runs at the end of body, as defer would run it.
	js = bytes.ReplaceAll(js, []byte("</script"), []byte(`<\/script`))
	out := bytes.Replace(page, []byte(link), append(append([]byte("<style>"), css...), "</style>"...), 1)
	out = bytes.Replace(out, []byte(script), nil, 1)
	out = bytes.Replace(out, []byte("<body>"), []byte(`<body data-gate="1">`), 1)
	out = bytes.Replace(out, []byte("</body>"), append(append([]byte("<script>"), js...), "</script>\n</body>"...), 1)
	csp := "default-src 'none'; script-src " + cspHash(js) + "; style-src " + cspHash(css) +
		"; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return out, csp
}

func cspHash(b []byte) string {
	h := sha256.Sum256(b)
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// isConsolePath reports whether path is /ui or under /ui/.
func isConsolePath(path []byte) bool {
	return string(path) == "/ui" || bytes.HasPrefix(path, []byte(uiPrefix))
}

// consoleAccess decides whether a client may use the console (§4): a
// loopback client may; another needs the admin token as
// "Authorization: Bearer", which it cannot have when none is configured.
// When the client may not, it returns the status and message of the
// refusal (401 for a missing or wrong token, 403 when no token is set).
func (s *Server) consoleAccess(ctx *fasthttp.RequestCtx) (ok bool, status int, msg string) {
	if ctx.RemoteIP().IsLoopback() {
		return true, 0, ""
	}
	if s.cfg.AdminToken == "" {
		return false, fasthttp.StatusForbidden,
			"the console answers loopback clients only when no admin token is set"
	}
	if token, ok := bearerToken(ctx.Request.Header.Peek("Authorization")); ok &&
		subtle.ConstantTimeCompare(token, []byte(s.cfg.AdminToken)) == 1 {
		return true, 0, ""
	}
	ctx.Response.Header.Set("WWW-Authenticate", `Bearer realm="wordfilter"`)
	return false, fasthttp.StatusUnauthorized, "missing or wrong admin token"
}

// consoleAPI checks the method (GET or HEAD) and the access of a console
// JSON endpoint, answering the refusal itself as the REST API does.
func (s *Server) consoleAPI(ctx *fasthttp.RequestCtx) bool {
	if !ctx.IsGet() && !ctx.IsHead() {
		s.restError(ctx, fasthttp.StatusMethodNotAllowed, "use GET")
		return false
	}
	if ok, status, msg := s.consoleAccess(ctx); !ok {
		s.restError(ctx, status, msg)
		return false
	}
	return true
}

// serveConsole answers a request under /ui: the embedded files for GET and
// HEAD. Any other method gets 405 with the refusal of a callback the
// service does not judge, so that an OpenIM url pointed here by mistake
// never reads as allow (the body holds "error" for other clients).
func (s *Server) serveConsole(ctx *fasthttp.RequestCtx, p []byte) {
	if !ctx.IsGet() && !ctx.IsHead() {
		ctx.Response.Header.Set("Allow", "GET, HEAD")
		s.unavailable(ctx, fasthttp.StatusMethodNotAllowed, reasonOutsidePrefix, "the console at /ui/ answers GET only")
		return
	}
	h := &ctx.Response.Header
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer") // /ui/?text=... must not leak
	h.Set("Cache-Control", "no-cache")
	if string(p) == "/ui" {
		// Relative links of the page need the trailing slash; the query
		// (a deep link's text) is kept.
		target := uiPrefix
		if q := ctx.URI().QueryString(); len(q) > 0 {
			target += "?" + string(q)
		}
		h.Set("Location", target)
		s.restError(ctx, fasthttp.StatusMovedPermanently, "the console is at /ui/")
		return
	}
	name := string(p[len(uiPrefix):])
	a, found := s.console.assets[name]
	if ok, status, msg := s.consoleAccess(ctx); !ok {
		if found && (name == "" || name == "index.html") {
			// A browser: the page that says what to do and asks for the token.
			h.Set("Content-Security-Policy", s.console.gateCSP)
			h.Set("Cache-Control", "no-store")
			ctx.SetStatusCode(status)
			ctx.SetContentType("text/html; charset=utf-8")
			ctx.SetBody(s.console.gate)
			return
		}
		s.restError(ctx, status, msg)
		return
	}
	if !found {
		s.restError(ctx, fasthttp.StatusNotFound, "no such file in the console")
		return
	}
	h.Set("Content-Security-Policy", consoleCSP)
	ctx.SetContentType(a.ctype)
	ctx.SetBody(a.body)
}
