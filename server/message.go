package server

import (
	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/filter"
)

// msgReq holds the fields of OpenIM's CommonCallbackReq (docs/openim.md, "Request body")
// that the message callbacks read; other keys are skipped.
type msgReq struct {
	SendID          string `json:"sendID"`
	CallbackCommand string `json:"callbackCommand"`
	OperationID     string `json:"operationID"`
	SenderNickname  string `json:"senderNickname"`
	SessionType     int32  `json:"sessionType"`
	ContentType     int32  `json:"contentType"`
	Content         string `json:"content"`
	RecvID          string `json:"recvID"`
	GroupID         string `json:"groupID"`
}

// isNotification reports whether contentType is one of OpenIM's
// server-generated notifications (1000-5000), which are always allowed.
func isNotification(contentType int32) bool { return contentType >= 1000 && contentType <= 5000 }

// judgeElement judges the human text of a content element (the JSON text
// of a message's content, read as a receiver reads it: see jsonReader and
// elemReader). A hostile element refuses the call. Content that is not a
// JSON object is judged as one plain text. It returns the range of c.texts
// that belongs to the element, for rewriteElement.
func (c *call) judgeElement(contentType int32, content string) (from, to int) {
	sc := elementSchema(contentType)
	from = len(c.texts)
	if sc == nil || content == "" {
		return from, from
	}
	before := c.save()
	e := &c.elem
	e.c, e.hostile, e.keys = c, "", e.keys[:0]
	var r jsonReader
	r.reset(content)
	r.buf = c.jsonBuf[:0]
	ok := r.peek() == '{' && e.object(&r, sc, false, 0)
	c.jsonBuf = r.buf
	switch {
	case ok && e.hostile != "":
		// Refused only if the whole content is JSON that receivers read;
		// otherwise it is plain text (below).
		r.reset(content)
		if r.skip() && r.atEnd() {
			c.restore(before)
			c.refuseHostile(e.hostile)
			return from, from
		}
	case ok && r.atEnd():
		return from, len(c.texts)
	}
	c.restore(before)
	c.s.log.Debug("message content is not a JSON object; filtered as plain text",
		zap.String("command", c.cmd), zap.Int32("contentType", contentType))
	c.judge(asReceived(content), false, -1, -1)
	return from, len(c.texts)
}

// rewriteElement returns content with the judged texts c.texts[from:to]
// masked in place, every other byte as it was; changed is false when no
// text needs masking.
func (c *call) rewriteElement(content string, from, to int) (out []byte, changed bool) {
	b := c.rewrite[:0]
	last := 0
	for i := from; i < to; i++ {
		t := &c.texts[i]
		if t.strict || !t.mask {
			continue
		}
		changed = true
		if t.start < 0 { // plain text: the whole content
			b = c.appendMasked(b[:0], content, i)
			last = len(content)
			break
		}
		b = append(b, content[last:t.start]...)
		c.maskBuf = c.appendMasked(c.maskBuf[:0], t.text, i)
		b = appendJSONString(b, b2s(c.maskBuf))
		last = t.end
	}
	b = append(b, content[last:]...)
	c.rewrite = b
	return b, changed
}

// decodeMsg decodes a message callback; skip tells that the message is a
// notification, which is always allowed.
func (c *call) decodeMsg() (req *msgReq, skip bool, err error) {
	req = &c.msg
	*req = msgReq{}
	if err := c.decode(req); err != nil {
		return req, false, err
	}
	c.op, c.user = orStr(req.OperationID, c.op), req.SendID
	return req, isNotification(req.ContentType), nil
}

// msgModify answers callbackBeforeMsgModifyCommand (and its pre-3.7 name):
// mask the human text of the content and answer content only when it
// changed; refuse on block and on a hostile element.
func (c *call) msgModify() error {
	req, skip, err := c.decodeMsg()
	if err != nil || skip {
		return err
	}
	from, to := c.judgeElement(req.ContentType, req.Content)
	nick := c.judgeField(req.SenderNickname)
	if c.refuse {
		return nil
	}
	if content, changed := c.rewriteElement(req.Content, from, to); changed {
		c.addStr("content", b2s(content))
	}
	if c.changed(nick) {
		c.addMasked("senderNickname", req.SenderNickname, nick)
	}
	return nil
}

// msgBeforeSend answers the before-send single and group callbacks, which
// can only refuse: on block, on a hostile element, and when a text needs
// masking in a content type the modify callback does not see. Nothing is
// masked or encoded.
func (c *call) msgBeforeSend() error {
	req, skip, err := c.decodeMsg()
	if err != nil || skip {
		return err
	}
	c.judgeElement(req.ContentType, req.Content)
	c.judgeField(req.SenderNickname)
	if c.decision >= filter.Mask && !c.s.modify[req.ContentType] {
		c.refuseMasking()
	}
	return nil
}

func orStr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
