package server

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"strconv"
	"time"

	"github.com/bytedance/sonic"
	"github.com/bytedance/sonic/ast"
	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
)

// The OpenIM callback commands this server inspects (OPENIM.md §3.1, §4).
const (
	cmdMsgModify          = "callbackBeforeMsgModifyCommand"
	cmdMsgModifyOld       = "callbackMsgModifyCommand"
	cmdSendSingle         = "callbackBeforeSendSingleMsgCommand"
	cmdSendGroup          = "callbackBeforeSendGroupMsgCommand"
	cmdUpdateUserInfo     = "callbackBeforeUpdateUserInfoCommand"
	cmdUpdateUserInfoEx   = "callbackBeforeUpdateUserInfoExCommand"
	cmdUserRegister       = "callbackBeforeUserRegisterCommand"
	cmdCreateGroup        = "callbackBeforeCreateGroupCommand"
	cmdSetGroupInfo       = "callbackBeforeSetGroupInfoCommand"
	cmdSetGroupInfoEx     = "callbackBeforeSetGroupInfoExCommand"
	cmdSetGroupMemberInfo = "callbackBeforeSetGroupMemberInfoCommand"
	cmdSetFriendRemark    = "callbackBeforeSetFriendRemarkCommand"
	cmdAddFriend          = "callbackBeforeAddFriendCommand"
	cmdJoinGroup          = "callbackBeforeJoinGroupCommand"
	cmdInviteJoinGroup    = "callbackBeforeInviteJoinGroupCommand"
	cmdAddFriendAgree     = "callbackBeforeAddFriendAgreeCommand"
)

// callbackHandler decodes one callback body and leaves its answer in c.
// It returns an error only when the body cannot be decoded.
type callbackHandler func(c *call) error

// callbackHandlers maps each inspected command to its handler; any other
// command is allowed untouched.
func callbackHandlers() map[string]callbackHandler {
	return map[string]callbackHandler{
		cmdMsgModify:          (*call).msgModify,
		cmdMsgModifyOld:       (*call).msgModify,
		cmdSendSingle:         (*call).msgBeforeSend,
		cmdSendGroup:          (*call).msgBeforeSend,
		cmdUpdateUserInfo:     (*call).updateUserInfo,
		cmdUpdateUserInfoEx:   (*call).updateUserInfoEx,
		cmdUserRegister:       (*call).userRegister,
		cmdCreateGroup:        (*call).createGroup,
		cmdSetGroupInfo:       (*call).setGroupInfo,
		cmdSetGroupInfoEx:     (*call).setGroupInfoEx,
		cmdSetGroupMemberInfo: (*call).setGroupMemberInfo,
		cmdSetFriendRemark:    (*call).setFriendRemark,
		cmdAddFriend:          (*call).addFriend,
		cmdJoinGroup:          (*call).joinGroup,
		cmdInviteJoinGroup:    (*call).inviteJoinGroup,
		cmdAddFriendAgree:     (*call).addFriendAgree,
	}
}

// allowJSON is OpenIM's portable "allow" answer (OPENIM.md §2).
const allowJSON = `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}`

// allowHead is allowJSON without its closing brace, for answers that add
// rewritten fields.
const allowHead = `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0`

// call is the state of one callback request. Calls are pooled; strings in
// it may point into the request body and are dropped at the end.
type call struct {
	s    *Server
	d    *dict.Dictionary
	cmd  string // command as routed
	body string // request body (not a copy)

	// filled by the handler, for the refusal log line
	op   string // operationID
	user string // sendID or userID

	matches  []filter.Match
	decision filter.Action // strongest action seen
	refuse   bool          // the answer is a refusal
	category string        // category of the match that decided
	offender string        // text holding that match (logged only with LogText)

	out  jsonObject // the allow answer being built
	msg  msgReq     // decoded message callback (kept here to avoid an allocation)
	node ast.Node   // text value found in an element (idem)
}

func (c *call) reset() {
	c.d, c.cmd, c.body, c.op, c.user = nil, "", "", "", ""
	c.matches = c.matches[:0]
	c.decision, c.refuse, c.category, c.offender = filter.Pass, false, "", ""
	c.out.b = c.out.b[:0]
	c.out.empty = true
	c.msg = msgReq{}
	c.node = ast.Node{}
}

// filter filters one human text: it returns the masked text and whether it
// differs from text. A Block match makes the call a refusal.
func (c *call) filter(text string) (string, bool) {
	if text == "" {
		return text, false
	}
	res := c.d.Matcher.Filter(c.matches[:0], text)
	c.matches = res.Matches[:0]
	for _, m := range res.Matches {
		w := c.d.Matcher.Word(m.Word)
		c.s.met.match(w.Category)
		c.note(w, text, w.Action == filter.Block)
	}
	return res.Text, res.Text != text
}

// strict filters a text that OpenIM cannot take rewritten: any match that
// needs masking (or blocking) makes the call a refusal.
func (c *call) strict(text string) {
	if text == "" {
		return
	}
	res := c.d.Matcher.Filter(c.matches[:0], text)
	c.matches = res.Matches[:0]
	for _, m := range res.Matches {
		w := c.d.Matcher.Word(m.Word)
		c.s.met.match(w.Category)
		c.note(w, text, w.Action >= filter.Mask)
	}
}

// note records a match of w in text; refuse tells whether it refuses the
// call.
func (c *call) note(w filter.Word, text string, refuse bool) {
	if refuse && !c.refuse {
		c.refuse, c.category, c.offender = true, w.Category, text
	}
	if w.Action > c.decision {
		c.decision = w.Action
		if !c.refuse {
			c.category, c.offender = w.Category, text
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

// addStr adds a rewritten string field to the allow answer.
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
	if s.cfg.CallbackPrefix != "" {
		p := s.cfg.CallbackPrefix
		if len(path) <= len(p) || path[len(p)] != '/' ||
			subtle.ConstantTimeCompare(path[:len(p)], s.prefix) != 1 {
			// OpenIM reads any JSON answer, so a 404 would let a
			// misconfigured url's messages through unjudged.
			s.unavailable(ctx, fasthttp.StatusOK, reasonOutsidePrefix, "callback path outside the configured callback prefix")
			return
		}
	}
	if !ctx.IsPost() {
		s.callbackError(ctx, fasthttp.StatusMethodNotAllowed, "OpenIM callbacks are POST requests")
		return
	}
	cmd := path[bytes.LastIndexByte(path, '/')+1:]
	handler, known := s.handlers[string(cmd)]
	route := s.met.route(string(cmd))
	defer func() { route.latency.UpdateDuration(start) }()

	body := ctx.PostBody()
	// A known command's handler decodes the whole body, which rejects
	// what is not JSON: the separate validation pass (about a fifth of a
	// clean modify callback) is made only where nothing else reads the
	// body, or to word the error.
	notJSON := func() bool {
		if sonic.Valid(body) {
			return false
		}
		route.requests[decisionError].Inc()
		s.callbackError(ctx, fasthttp.StatusBadRequest, "request body is not valid JSON")
		return true
	}
	if !known {
		if !notJSON() {
			route.requests[filter.Pass].Inc()
			ctx.SetBodyString(allowJSON)
		}
		return
	}
	d := s.src.Current()
	if d == nil {
		if !notJSON() {
			route.requests[decisionError].Inc()
			s.unavailable(ctx, fasthttp.StatusOK, reasonNoDictionary, "no dictionary loaded")
		}
		return
	}
	c := s.calls.Get().(*call)
	defer func() {
		c.reset()
		s.calls.Put(c)
	}()
	c.d, c.cmd, c.body = d, b2s(cmd), b2s(body)
	if op := ctx.Request.Header.Peek("operationID"); len(op) > 0 {
		c.op = b2s(op)
	}
	if err := handler(c); err != nil {
		if notJSON() {
			return
		}
		route.requests[decisionError].Inc()
		s.log.Debug("callback body does not decode", zap.String("command", c.cmd), zap.Error(err))
		s.callbackError(ctx, fasthttp.StatusBadRequest, "cannot decode "+c.cmd+" body: "+decodeError(err))
		return
	}
	if c.refuse {
		route.requests[filter.Block].Inc()
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

// refusal answers c with OpenIM's refusal and logs it.
func (s *Server) refusal(ctx *fasthttp.RequestCtx, c *call) {
	var o jsonObject
	o.b = c.out.b[:0]
	o.open()
	o.int("actionCode", 0)
	o.int("nextCode", 1)
	o.int("errCode", int64(s.cfg.BlockCode))
	o.str("errMsg", "refused by the word filter: contains a word of category "+strconv.Quote(c.category))
	o.str("errDlt", "")
	o.close()
	c.out.b = o.b
	ctx.SetBody(o.b)
	fields := []zap.Field{
		zap.String("operationID", c.op), zap.String("command", c.cmd), zap.String("sendID", c.user),
		zap.String("category", c.category), zap.String("dictVersion", c.d.Version),
	}
	if s.cfg.LogText {
		fields = append(fields, zap.String("text", c.offender))
	}
	s.log.Info("refused", fields...)
}
