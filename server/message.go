package server

import (
	"errors"

	"github.com/bytedance/sonic"
	"github.com/bytedance/sonic/ast"
	"go.uber.org/zap"

	"github.com/wordfilter/wordfilter/filter"
)

// msgReq holds the fields of OpenIM's CommonCallbackReq (OPENIM.md §3.2)
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

// elementKeys names the keys of a content element that hold human text
// (OPENIM.md §5).
type elementKeys struct {
	str  string // a string key
	list string // key of an array of strings
	objs string // key of an array of objects ...
	obj  string // ... whose key obj holds text
}

// textKeys returns the human-text keys of a content type; the zero value
// means the type carries no text to filter.
func textKeys(contentType int32) elementKeys {
	switch contentType {
	case 101, 118: // Text, MarkdownText
		return elementKeys{str: "content"}
	case 105: // File
		return elementKeys{str: "fileName"}
	case 106: // AtText
		return elementKeys{str: "text", objs: "atUsersInfo", obj: "groupNickname"}
	case 107: // Merger: the forwarded messages inside were filtered when sent
		return elementKeys{str: "title", list: "abstractList"}
	case 108: // Card
		return elementKeys{str: "nickname"}
	case 109: // Location
		return elementKeys{str: "description"}
	case 110, 119, 120: // Custom and its variants
		return elementKeys{str: "description"}
	case 114, 117: // Quote, AdvancedText: the quoted message is older content
		return elementKeys{str: "text"}
	}
	return elementKeys{}
}

func (k elementKeys) none() bool { return k.str == "" && k.list == "" && k.objs == "" }

// element filters the human text of a content element (the JSON string of
// a message's content) and returns the rewritten element when a text was
// masked. Every other key keeps its exact JSON. Content that is not a JSON
// object is filtered as one plain text.
func (c *call) element(contentType int32, content string) (string, bool) {
	keys := textKeys(contentType)
	if keys.none() || content == "" {
		return content, false
	}
	if keys.list == "" && keys.objs == "" {
		if out, changed, ok := c.elementKey(content, keys.str); ok {
			return out, changed
		}
	}
	root, err := sonic.GetFromString(content)
	if err != nil || root.TypeSafe() != ast.V_OBJECT {
		c.s.log.Debug("message content is not a JSON object; filtered as plain text",
			zap.String("command", c.cmd), zap.Int32("contentType", contentType))
		return c.filter(content)
	}
	bad := false
	changed := c.filterKey(&root, keys.str, &bad)
	if keys.list != "" {
		if eachElement(root.Get(keys.list), func(i int, arr, n *ast.Node) bool {
			if n.TypeSafe() != ast.V_STRING {
				return true
			}
			s, err := n.String()
			if err != nil {
				return false
			}
			if masked, ch := c.filter(s); ch {
				if _, err := arr.SetByIndex(i, ast.NewString(masked)); err != nil {
					return false
				}
				changed = true
			}
			return true
		}) {
			bad = true
		}
	}
	if keys.objs != "" {
		if eachElement(root.Get(keys.objs), func(_ int, _, n *ast.Node) bool {
			if n.TypeSafe() == ast.V_OBJECT && c.filterKey(n, keys.obj, &bad) {
				changed = true
			}
			return true
		}) {
			bad = true
		}
	}
	if bad {
		c.s.log.Debug("message content is not valid JSON; filtered as plain text",
			zap.String("command", c.cmd), zap.Int32("contentType", contentType))
		return c.filter(content)
	}
	if !changed {
		return content, false
	}
	out, err := root.MarshalJSON()
	if err != nil {
		c.s.log.Debug("cannot re-encode message content; filtered as plain text",
			zap.String("command", c.cmd), zap.Error(err))
		return c.filter(content)
	}
	return string(out), true
}

// elementKey is the fast path of element for elements with one text key:
// it finds the key without building a tree, and only edits the element
// when the text was masked. ok is false when the element needs the slow
// path (not an object, malformed, or the edit failed); nothing was
// filtered then.
func (c *call) elementKey(content, key string) (out string, changed, ok bool) {
	if len(content) == 0 || content[0] != '{' {
		return "", false, false
	}
	var err error
	c.node, err = sonic.GetFromString(content, key)
	n := &c.node
	if err != nil {
		if errors.Is(err, ast.ErrNotExist) {
			return content, false, true
		}
		return "", false, false
	}
	if n.TypeSafe() != ast.V_STRING {
		return content, false, true
	}
	text, err := n.String()
	if err != nil {
		return "", false, false
	}
	masked, changed := c.filter(text)
	if !changed {
		return content, false, true
	}
	root, err := sonic.GetFromString(content)
	if err == nil {
		_, err = root.Set(key, ast.NewString(masked))
	}
	var b []byte
	if err == nil {
		b, err = root.MarshalJSON()
	}
	if err != nil || !sonic.Valid(b) {
		// The text is counted already; mask the element as plain text.
		c.s.log.Debug("cannot edit message content; masked as plain text", zap.String("command", c.cmd))
		return c.d.Matcher.Replace(content), true, true
	}
	return string(b), true, true
}

// filterKey filters the string at key of the object obj and replaces it
// when masked; it reports whether it did. A value that cannot be read sets
// *bad.
func (c *call) filterKey(obj *ast.Node, key string, bad *bool) bool {
	n := obj.Get(key)
	if n == nil { // absent
		return false
	}
	if n.Check() != nil { // syntax error
		*bad = true
		return false
	}
	if n.TypeSafe() != ast.V_STRING {
		return false
	}
	s, err := n.String()
	if err != nil {
		*bad = true
		return false
	}
	masked, ch := c.filter(s)
	if ch {
		if _, err := obj.Set(key, ast.NewString(masked)); err != nil {
			*bad = true
			return false
		}
	}
	return ch
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
// changed; refuse on block.
func (c *call) msgModify() error {
	req, skip, err := c.decodeMsg()
	if err != nil || skip {
		return err
	}
	content, changed := c.element(req.ContentType, req.Content)
	nick, nickChanged := c.filter(req.SenderNickname)
	if c.refuse {
		return nil
	}
	if changed {
		c.addStr("content", content)
	}
	if nickChanged {
		c.addStr("senderNickname", nick)
	}
	return nil
}

// msgBeforeSend answers the before-send single and group callbacks, which
// can only refuse: on block, and when a text needs masking in a content
// type the modify callback does not see.
func (c *call) msgBeforeSend() error {
	req, skip, err := c.decodeMsg()
	if err != nil || skip {
		return err
	}
	c.element(req.ContentType, req.Content)
	c.filter(req.SenderNickname)
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

// eachElement calls fn for each element of arr, when arr is a JSON array,
// until fn returns false. It reports whether the array was malformed or fn
// gave up (the caller then filters the content as plain text).
func eachElement(arr *ast.Node, fn func(i int, arr, elem *ast.Node) bool) (bad bool) {
	if arr == nil || arr.TypeSafe() != ast.V_ARRAY {
		return false
	}
	for i := 0; ; i++ {
		n := arr.Index(i)
		if n == nil { // end of the array
			return false
		}
		if n.Check() != nil { // syntax error
			return true
		}
		if !fn(i, arr, n) {
			return true
		}
	}
}
