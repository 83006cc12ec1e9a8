package server

import (
	"bytes"
	"crypto/subtle"
	"time"

	"github.com/bytedance/sonic"
	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/internal/report"
)

// filterRequest is the body of POST /v1/filter: one text or a batch.
type filterRequest struct {
	Text  *string  `json:"text"`
	Texts []string `json:"texts"`
	// Explain adds to every match where its word was read.
	Explain bool `json:"explain"`
}

// dictResponse is the answer of GET /v1/dict and POST /v1/dict/reload.
type dictResponse struct {
	Version    string         `json:"version"`
	Words      int            `json:"words"`
	Allow      int            `json:"allow"`
	Categories map[string]int `json:"categories"`
	LoadedAt   string         `json:"loadedAt"`
	Source     string         `json:"source"`
	LastError  string         `json:"lastError"`
	// Settings are the reading settings in force (wordfilter.yaml), for
	// the console.
	Settings settingsResponse `json:"settings"`
}

// settingsResponse is dict.Settings as /v1/dict shows it.
type settingsResponse struct {
	Readings      string                      `json:"readings"`
	VariantAction string                      `json:"variantAction"`
	PinyinAction  string                      `json:"pinyinAction"`
	Variants      int                         `json:"variants"`
	Categories    map[string]categorySettings `json:"categories"`
}

// categorySettings is one category's settings in force.
type categorySettings struct {
	Readings      string `json:"readings"`
	VariantAction string `json:"variantAction"`
	PinyinAction  string `json:"pinyinAction"`
}

// describeSettings returns the settings in force of d: the folder's, and
// those of each category its wordfilter.yaml names.
func describeSettings(d *dict.Dictionary) settingsResponse {
	st := d.Settings
	r, va, pa := st.For("")
	out := settingsResponse{Readings: r.String(), VariantAction: va.String(), PinyinAction: pa.String(),
		Variants: len(d.Variants), Categories: map[string]categorySettings{}}
	for c := range st.Categories {
		r, va, pa := st.For(c)
		out.Categories[c] = categorySettings{Readings: r.String(), VariantAction: va.String(), PinyinAction: pa.String()}
	}
	return out
}

// reloadErrors is the 422 answer of POST /v1/dict/reload.
type reloadErrors struct {
	Errors []string `json:"errors"`
}

// writeJSON answers v encoded as JSON with status.
func (s *Server) writeJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	b, err := sonic.ConfigStd.Marshal(v)
	if err != nil {
		s.restError(ctx, fasthttp.StatusInternalServerError, "cannot encode answer: "+err.Error())
		return
	}
	ctx.SetStatusCode(status)
	ctx.SetBody(b)
}

// writeResult answers 200 with a /v1/filter result encoded by b (one of
// report's encoders, which "wordfilter check -json" also uses).
func (s *Server) writeResult(ctx *fasthttp.RequestCtx, b []byte, err error) {
	if err != nil {
		s.restError(ctx, fasthttp.StatusInternalServerError, "cannot encode answer: "+err.Error())
		return
	}
	ctx.SetStatusCode(fasthttp.StatusOK)
	ctx.SetBody(b)
}

// filterREST answers POST /v1/filter.
func (s *Server) filterREST(ctx *fasthttp.RequestCtx, start time.Time) {
	route := s.met.route("filter")
	defer func() { route.latency.UpdateDuration(start) }()
	if !ctx.IsPost() {
		s.restError(ctx, fasthttp.StatusMethodNotAllowed, "use POST")
		return
	}
	var req filterRequest
	body := ctx.PostBody()
	if !sonic.Valid(body) {
		route.requests[decisionError].Inc()
		s.restError(ctx, fasthttp.StatusBadRequest, "request body is not valid JSON")
		return
	}
	if err := sonic.Unmarshal(body, &req); err != nil {
		route.requests[decisionError].Inc()
		s.restError(ctx, fasthttp.StatusBadRequest, "cannot decode request: "+filterRequestError(body, err))
		return
	}
	if req.Text == nil && req.Texts == nil {
		route.requests[decisionError].Inc()
		s.restError(ctx, fasthttp.StatusBadRequest, `missing field "text" or "texts"`)
		return
	}
	d := s.src.Current()
	if d == nil {
		route.requests[decisionError].Inc()
		s.restError(ctx, fasthttp.StatusServiceUnavailable, "no dictionary loaded yet")
		return
	}
	if req.Texts == nil {
		b, err := report.Marshal(s.report(d, *req.Text, req.Explain, route))
		s.writeResult(ctx, b, err)
		return
	}
	batch := report.Batch{Results: make([]report.Report, len(req.Texts)), Version: d.Version}
	for i, t := range req.Texts {
		batch.Results[i] = s.report(d, t, req.Explain, route)
	}
	b, err := report.MarshalBatch(batch)
	s.writeResult(ctx, b, err)
}

// report filters one text for the REST API and counts it.
func (s *Server) report(d *dict.Dictionary, text string, explain bool, route *routeMetrics) report.Report {
	build := report.New
	if explain {
		build = report.Explain
	}
	r := build(d, text)
	route.requests[r.Action].Inc()
	if r.Incomplete {
		route.incomplete.Inc()
	}
	for _, m := range r.Matches {
		s.met.match(m.Category, m.Readings)
	}
	return r
}

// dictInfo answers GET /v1/dict.
func (s *Server) dictInfo(ctx *fasthttp.RequestCtx) {
	if !ctx.IsGet() && !ctx.IsHead() {
		s.restError(ctx, fasthttp.StatusMethodNotAllowed, "use GET")
		return
	}
	d := s.src.Current()
	if d == nil {
		s.restError(ctx, fasthttp.StatusServiceUnavailable, "no dictionary loaded yet: "+s.src.LastError())
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, s.describe(d))
}

func (s *Server) describe(d *dict.Dictionary) dictResponse {
	cats := d.Categories
	if cats == nil {
		cats = map[string]int{}
	}
	return dictResponse{
		Version: d.Version, Words: d.Matcher.Len(), Allow: d.Matcher.AllowLen(), Categories: cats,
		LoadedAt: d.LoadedAt.UTC().Format(time.RFC3339), Source: d.Source, LastError: s.src.LastError(),
		Settings: describeSettings(d),
	}
}

// dictReload answers POST /v1/dict/reload: 200 with the /v1/dict object,
// or 422 with the path:line errors (the old dictionary stays).
func (s *Server) dictReload(ctx *fasthttp.RequestCtx) {
	if !ctx.IsPost() {
		s.restError(ctx, fasthttp.StatusMethodNotAllowed, "use POST")
		return
	}
	if !s.authorized(ctx) {
		return
	}
	d, err := s.src.Reload()
	if err != nil {
		lines := dict.ErrorLines(err)
		if len(lines) == 0 {
			lines = []string{err.Error()}
		}
		s.writeJSON(ctx, fasthttp.StatusUnprocessableEntity, reloadErrors{Errors: lines})
		return
	}
	if d == nil {
		d = s.src.Current()
	}
	if d == nil {
		s.restError(ctx, fasthttp.StatusServiceUnavailable, "no dictionary loaded")
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, s.describe(d))
}

// authorized checks the admin token, or that the client is on loopback
// when no token is configured; it answers the refusal itself.
func (s *Server) authorized(ctx *fasthttp.RequestCtx) bool {
	if s.cfg.AdminToken == "" {
		if ctx.RemoteIP().IsLoopback() {
			return true
		}
		s.restError(ctx, fasthttp.StatusForbidden, "reload is allowed from loopback only when no admin token is set")
		return false
	}
	if token, ok := bearerToken(ctx.Request.Header.Peek("Authorization")); ok &&
		subtle.ConstantTimeCompare(token, []byte(s.cfg.AdminToken)) == 1 {
		return true
	}
	ctx.Response.Header.Set("WWW-Authenticate", `Bearer realm="wordfilter"`)
	s.restError(ctx, fasthttp.StatusUnauthorized, "missing or wrong admin token")
	return false
}

// bearerToken returns the token of an Authorization value of the Bearer
// scheme, whose name is case-insensitive (RFC 7235 §2.1), followed by one
// or more spaces.
func bearerToken(auth []byte) ([]byte, bool) {
	const scheme = "bearer"
	if len(auth) <= len(scheme) || auth[len(scheme)] != ' ' ||
		!bytes.EqualFold(auth[:len(scheme)], []byte(scheme)) {
		return nil, false
	}
	token := bytes.TrimLeft(auth[len(scheme):], " ")
	return token, len(token) > 0
}
