package server

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bytedance/sonic"
	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/internal/openim"
)

// callbackHandler decodes one callback body and leaves its answer in c.
// It returns an error only when the body cannot be decoded.
type callbackHandler func(c *call) error

// callbackHandlers maps each inspected command to its handler; any other
// command is allowed untouched.
func callbackHandlers() map[string]callbackHandler {
	return map[string]callbackHandler{
		openim.CmdBeforeMsgModify:          (*call).msgModify,
		openim.CmdMsgModifyOld:             (*call).msgModify,
		openim.CmdBeforeSendSingleMsg:      (*call).msgBeforeSend,
		openim.CmdBeforeSendGroupMsg:       (*call).msgBeforeSend,
		openim.CmdBeforeUpdateUserInfo:     (*call).updateUserInfo,
		openim.CmdBeforeUpdateUserInfoEx:   (*call).updateUserInfoEx,
		openim.CmdBeforeUserRegister:       (*call).userRegister,
		openim.CmdBeforeCreateGroup:        (*call).createGroup,
		openim.CmdBeforeSetGroupInfo:       (*call).setGroupInfo,
		openim.CmdBeforeSetGroupInfoEx:     (*call).setGroupInfoEx,
		openim.CmdBeforeSetGroupMemberInfo: (*call).setGroupMemberInfo,
		openim.CmdBeforeSetFriendRemark:    (*call).setFriendRemark,
		openim.CmdBeforeAddFriend:          (*call).addFriend,
		openim.CmdBeforeJoinGroup:          (*call).joinGroup,
		openim.CmdBeforeInviteJoinGroup:    (*call).inviteJoinGroup,
		openim.CmdBeforeAddFriendAgree:     (*call).addFriendAgree,
	}
}

// allowJSON is OpenIM's portable "allow" answer (docs/openim.md,
// "How OpenIM reads the answer").
const allowJSON = `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}`

// allowHead is allowJSON without its closing brace, for answers that add
// rewritten fields.
const allowHead = `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0`

// call is the state of one callback request. Calls are pooled; strings in
// it may point into the request body and are dropped at the end.
//
// A handler first judges every text it reads (judge), which records the
// matches and the decision; only when the answer is not a refusal does it
// build the masked texts and the JSON it sends (addMasked, the element's
// rewrite), so a refused message costs no masking and no encoding.
type call struct {
	s    *Server
	d    *dict.Dictionary
	cmd  string // command as routed
	body string // request body (not a copy)

	// filled by the handler, for the refusal log line
	op   string // operationID
	user string // sendID or userID

	matches  []filter.Match // the matches of every judged text, in order
	texts    []judgedText   // the judged texts that hold a match
	decision filter.Action  // strongest action seen
	refuse   bool           // the answer is a refusal
	hostile  string         // the hostile kind that refuses the call, or ""
	// incomplete tells that a work limit stopped a variant reading in a
	// judged text (filter.Result.Incomplete): counted, the answer as judged.
	incomplete bool
	category   string // category of the match that decided
	offender   string // text holding that match (logged only with LogText)

	out     jsonObject // the allow answer being built
	msg     msgReq     // decoded message callback (kept here to avoid an allocation)
	elem    elemReader // reads a content element
	jsonBuf []byte     // scratch of the element's jsonReader
	maskBuf []byte     // scratch for one masked text
	rewrite []byte     // scratch for a rewritten element
}

// judgedText is a text a handler judged that holds at least one match.
type judgedText struct {
	text       string
	start, end int  // span of its JSON string in the element, or -1
	m0, m1     int  // its matches: call.matches[m0:m1]
	strict     bool // it cannot be rewritten: a match that needs masking refuses
	mask       bool // it holds a Mask or Block match: masking changes it
}

func (c *call) reset() {
	c.d, c.cmd, c.body, c.op, c.user = nil, "", "", "", ""
	c.matches = c.matches[:0]
	c.texts = c.texts[:0]
	c.decision, c.refuse, c.hostile, c.category, c.offender = filter.Pass, false, "", "", ""
	c.incomplete = false
	c.out.b = c.out.b[:0]
	c.out.empty = true
	c.msg = msgReq{}
	c.elem.keys = c.elem.keys[:0]
	if cap(c.jsonBuf) > maxPooledScratch {
		c.jsonBuf = nil
	}
	if cap(c.maskBuf) > maxPooledScratch {
		c.maskBuf = nil
	}
	if cap(c.rewrite) > maxPooledScratch {
		c.rewrite = nil
	}
	if cap(c.matches) > maxPooledScratch {
		c.matches = nil
	}
}

// maxPooledScratch bounds the scratch a pooled call keeps after a large
// request.
const maxPooledScratch = 64 << 10

// judge records the matches of text and their decision. strict marks a
// text that cannot be rewritten (a quoted message, a block-only field): a
// match that needs masking refuses the call. start and end locate the
// text's JSON string in a content element (-1 otherwise). It returns the
// index of the text in c.texts, or -1 when it holds no match. text must be
// valid UTF-8: the element reader's strings are; other texts go through
// asReceived.
func (c *call) judge(text string, strict bool, start, end int) int {
	if text == "" {
		return -1
	}
	m0 := len(c.matches)
	var incomplete bool
	c.matches, incomplete = c.d.Matcher.AppendMatchesChecked(c.matches, text)
	c.incomplete = c.incomplete || incomplete
	if len(c.matches) == m0 {
		return -1
	}
	t := judgedText{text: text, start: start, end: end, m0: m0, m1: len(c.matches), strict: strict}
	for _, m := range c.matches[m0:] {
		// The match's own action: a variant match may go to review
		// (variant-action, pinyin-action) whatever its word's action.
		a := c.d.Matcher.ActionOf(m)
		if a >= filter.Mask {
			t.mask = true
		}
		c.note(c.d.Matcher.Word(m.Word).Category, a, text, a == filter.Block || (strict && a >= filter.Mask))
	}
	c.texts = append(c.texts, t)
	return len(c.texts) - 1
}

// asReceived returns text as receivers see it. Bytes that are not UTF-8
// never reach them: OpenIM's encoder, Go's decoder and this server's
// answers all turn each into U+FFFD (a separator between letters), so that
// is what is judged. Request fields decoded by sonic may hold such bytes.
func asReceived(text string) string {
	if utf8.ValidString(text) {
		return text
	}
	return replaceInvalidUTF8(text)
}

// judgeField judges a text OpenIM can take rewritten (a profile field).
func (c *call) judgeField(text string) int { return c.judge(asReceived(text), false, -1, -1) }

// strict judges a text that OpenIM cannot take rewritten: any match that
// needs masking (or blocking) makes the call a refusal.
func (c *call) strict(text string) { c.judge(asReceived(text), true, -1, -1) }

// changed reports whether masking changes the judged text i.
func (c *call) changed(i int) bool { return i >= 0 && c.texts[i].mask }

// appendMasked appends text i masked (or text itself when i is -1).
func (c *call) appendMasked(dst []byte, text string, i int) []byte {
	if !c.changed(i) {
		return append(dst, text...)
	}
	t := &c.texts[i]
	return c.d.Matcher.AppendMasked(dst, t.text, c.matches[t.m0:t.m1])
}

// addMasked adds key to the allow answer: text masked as judged (i from
// judge, or -1 for text as it is).
func (c *call) addMasked(key, text string, i int) {
	c.maskBuf = c.appendMasked(c.maskBuf[:0], text, i)
	c.addStr(key, b2s(c.maskBuf))
}

// verdict is what the judging of a call has decided so far, to take back
// what an element read as JSON had judged when it turns out not to be JSON.
type verdict struct {
	decision           filter.Action
	refuse, incomplete bool
	category, offender string
	texts, matches     int
}

func (c *call) save() verdict {
	return verdict{c.decision, c.refuse, c.incomplete, c.category, c.offender, len(c.texts), len(c.matches)}
}

func (c *call) restore(v verdict) {
	c.decision, c.refuse, c.incomplete, c.category, c.offender = v.decision, v.refuse, v.incomplete, v.category, v.offender
	c.texts, c.matches = c.texts[:v.texts], c.matches[:v.matches]
}

// note records a match in text of a word of category whose action (the
// match's, Matcher.ActionOf) is a; refuse tells whether it refuses the
// call.
func (c *call) note(category string, a filter.Action, text string, refuse bool) {
	if refuse && !c.refuse {
		c.refuse, c.category, c.offender = true, category, text
	}
	if a > c.decision {
		c.decision = a
		if !c.refuse {
			c.category, c.offender = category, text
		}
	}
}

// refuseMasking turns a call whose texts need masking into a refusal (for
// texts nothing can rewrite).
func (c *call) refuseMasking() {
	if c.decision >= filter.Mask {
		c.refuse = true
	}
}

// refuseHostile refuses the call for a hostile content element.
func (c *call) refuseHostile(kind string) {
	c.refuse, c.hostile = true, kind
}

// addStr adds a string field to the allow answer.
func (c *call) addStr(key, value string) {
	c.head()
	c.out.str(key, value)
}

// addRaw adds a field holding raw JSON (echoed from the request) to the
// allow answer; a value OpenIM could not parse is re-encoded or left out.
func (c *call) addRaw(key string, value []byte) {
	value, ok := strictJSON(value)
	if !ok {
		return
	}
	c.head()
	c.out.raw(key, value)
}

func (c *call) head() {
	if len(c.out.b) == 0 {
		c.out.b = append(c.out.b, allowHead...)
		c.out.empty = false
	}
}

// decode decodes the body into v with sonic. Keys are matched case
// sensitively (OpenIM sends its exact field names), which spares sonic a
// lower-cased copy of every key the struct does not name.
func (c *call) decode(v any) error {
	return c.s.json.UnmarshalFromString(c.body, v)
}

// callback answers POST <prefix>/<command>.
func (s *Server) callback(ctx *fasthttp.RequestCtx, path []byte, start time.Time) {
	if !s.inPrefix(path) {
		// OpenIM reads any JSON answer, so a 404 would let a
		// misconfigured url's messages through unjudged.
		s.unavailable(ctx, fasthttp.StatusOK, reasonOutsidePrefix, "callback path outside the configured callback prefix")
		return
	}
	if !ctx.IsPost() {
		s.callbackError(ctx, fasthttp.StatusMethodNotAllowed, "OpenIM callbacks are POST requests")
		return
	}
	cmd := path[bytes.LastIndexByte(path, '/')+1:]
	handler, known := s.handlers[string(cmd)]
	route := s.met.route(string(cmd))
	defer func() { route.latency.UpdateDuration(start) }()
	// A known command's handler decodes the whole body, which rejects
	// what is not JSON: the separate validation pass (about a fifth of a
	// clean modify callback) is made only where nothing else reads the
	// body, or to word the error.
	switch d := s.src.Current(); {
	case !known:
		if !s.notJSON(ctx, route) {
			route.requests[filter.Pass].Inc()
			ctx.SetBodyString(allowJSON)
		}
	case d == nil:
		if !s.notJSON(ctx, route) {
			route.requests[decisionError].Inc()
			s.unavailable(ctx, fasthttp.StatusOK, reasonNoDictionary, "no dictionary loaded")
		}
	default:
		s.judgeCall(ctx, route, d, handler, b2s(cmd), start)
	}
}

// inPrefix reports whether path is under Config.CallbackPrefix (always
// when none is set), compared in constant time.
func (s *Server) inPrefix(path []byte) bool {
	p := s.prefix
	return len(p) == 0 || len(path) > len(p) && path[len(p)] == '/' && subtle.ConstantTimeCompare(path[:len(p)], p) == 1
}

// notJSON answers HTTP 400 with the callback error (docs/openim.md) when
// the body is not JSON, and
// reports whether it did.
func (s *Server) notJSON(ctx *fasthttp.RequestCtx, route *routeMetrics) bool {
	if sonic.Valid(ctx.PostBody()) {
		return false
	}
	route.requests[decisionError].Inc()
	s.callbackError(ctx, fasthttp.StatusBadRequest, "request body is not valid JSON")
	return true
}

// judgeCall runs a command's handler on the body with dictionary d, then
// answers: the refusal, or the allow answer with what it rewrote.
func (s *Server) judgeCall(ctx *fasthttp.RequestCtx, route *routeMetrics, d *dict.Dictionary, handler callbackHandler, cmd string, start time.Time) {
	c := s.calls.Get().(*call)
	defer func() {
		c.reset()
		s.calls.Put(c)
	}()
	c.d, c.cmd, c.body = d, cmd, b2s(ctx.PostBody())
	if op := ctx.Request.Header.Peek("operationID"); len(op) > 0 {
		c.op = b2s(op)
	}
	if err := handler(c); err != nil {
		if s.notJSON(ctx, route) {
			return
		}
		route.requests[decisionError].Inc()
		s.log.Debug("callback body does not decode", zap.String("command", c.cmd), zap.Error(err))
		// JSON, but not the command's shape: nothing was judged, so the
		// answer must not read as allow.
		s.unavailable(ctx, fasthttp.StatusBadRequest, reasonBadRequest, "cannot decode "+c.cmd+" body: "+decodeError(err))
		return
	}
	for _, m := range c.matches {
		s.met.match(d.Matcher.Word(m.Word).Category, m.Via)
	}
	if c.incomplete {
		route.incomplete.Inc()
	}
	if c.refuse {
		route.requests[filter.Block].Inc()
		if c.hostile != "" {
			s.met.hostile[c.hostile].Inc()
		}
		s.refusal(ctx, c)
		return
	}
	route.requests[c.decision].Inc()
	if len(c.out.b) == 0 {
		ctx.SetBodyString(allowJSON)
		return
	}
	c.out.close()
	ctx.SetBody(c.out.b)
}

// decodeError words a decode error in general terms (see
// describeJSONError): sonic's own text quotes the body around the error.
func decodeError(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if msg, ok := describeJSONError(e); ok {
			return msg
		}
	}
	return shapeError
}

// refusal answers c with OpenIM's refusal and logs it (within the log
// rate limit).
func (s *Server) refusal(ctx *fasthttp.RequestCtx, c *call) {
	var o jsonObject
	o.b = c.out.b[:0]
	o.open()
	o.int("actionCode", 0)
	o.int("nextCode", 1)
	o.int("errCode", int64(s.cfg.BlockCode))
	if c.hostile != "" {
		o.str("errMsg", "refused by the word filter: malformed message content")
	} else {
		o.str("errMsg", "refused by the word filter: contains a word of category "+strconv.Quote(c.category))
	}
	o.str("errDlt", "")
	o.close()
	c.out.b = o.b
	ctx.SetBody(o.b)
	ce := s.refusalLog.Check(zap.InfoLevel, "refused")
	if ce == nil { // over the rate (counted by the sampler's hook) or below the log level
		return
	}
	// The strings of c point into fasthttp's request buffers, which are
	// reused once the request is answered, while a log sink may keep the
	// fields: copy them.
	fields := []zap.Field{
		zap.String("operationID", strings.Clone(c.op)), zap.String("command", strings.Clone(c.cmd)),
		zap.String("sendID", strings.Clone(c.user)), zap.String("dictVersion", c.d.Version),
	}
	if c.hostile != "" {
		fields = append(fields, zap.String("hostile", c.hostile))
	} else {
		fields = append(fields, zap.String("category", c.category))
	}
	if s.cfg.LogText && c.offender != "" {
		fields = append(fields, zap.String("text", strings.Clone(c.offender)))
	}
	ce.Write(fields...)
}
