package server

import (
	"encoding/json"

	"github.com/bytedance/sonic"
	"github.com/bytedance/sonic/ast"
)

// rawJSON keeps a JSON value exactly as sent, to echo it back; null and an
// absent key leave it nil.
type rawJSON []byte

// UnmarshalJSON implements json.Unmarshaler.
func (r *rawJSON) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = nil
		return nil
	}
	*r = append((*r)[:0], b...)
	return nil
}

// judgeOpt judges an optional text (nil: not being changed, -1).
func (c *call) judgeOpt(text *string) int {
	if text == nil {
		return -1
	}
	return c.judgeField(*text)
}

// echoText adds key to the answer, the text masked as judged (i), when
// text is non-nil: OpenIM's Ex callbacks need every non-null request key
// echoed.
func (c *call) echoText(key string, text *string, i int) {
	if text != nil {
		c.addMasked(key, *text, i)
	}
}

// echoRaw adds key with its value as sent, when it was not null.
func (c *call) echoRaw(key string, v rawJSON) {
	if v != nil {
		c.addRaw(key, v)
	}
}

// strictJSON returns v, re-encoded when strict JSON parsers would refuse
// it (sonic accepts raw control characters in strings; Go's encoding/json,
// which OpenIM uses, does not). It reports false when v cannot be read.
func strictJSON(v []byte) ([]byte, bool) {
	if json.Valid(v) {
		return v, true
	}
	var x any
	if err := sonic.Unmarshal(v, &x); err != nil {
		return nil, false
	}
	b, err := json.Marshal(x)
	return b, err == nil
}

// maskedField judges one text OpenIM can take rewritten and, unless the
// call is refused, adds key to the answer only when masking changes it.
func (c *call) maskedField(key, text string) {
	i := c.judgeField(text)
	if !c.refuse && c.changed(i) {
		c.addMasked(key, text, i)
	}
}

// updateUserInfoEx answers callbackBeforeUpdateUserInfoExCommand
// (docs/openim.md section 6): echo exactly the keys that were non-null (OpenIM
// dereferences the request's field for each non-null answer key).
func (c *call) updateUserInfoEx() error {
	var req struct {
		UserID   string  `json:"userID"`
		NickName *string `json:"nickName"`
		FaceURL  rawJSON `json:"faceURL"`
		Ex       rawJSON `json:"ex"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.UserID
	nick := c.judgeOpt(req.NickName)
	if c.refuse {
		return nil
	}
	c.echoText("nickName", req.NickName, nick)
	c.echoRaw("faceURL", req.FaceURL)
	c.echoRaw("ex", req.Ex)
	return nil
}

// updateUserInfo answers the deprecated callbackBeforeUpdateUserInfoCommand
// (docs/openim.md section 6): answer nickName only when masked.
func (c *call) updateUserInfo() error {
	var req struct {
		UserID   string `json:"userID"`
		NickName string `json:"nickName"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.UserID
	c.maskedField("nickName", req.NickName)
	return nil
}

// userRegister answers callbackBeforeUserRegisterCommand (docs/openim.md section 6): a
// non-empty users answer replaces the whole list, so when a nickname is
// masked every user is echoed, each with its other keys as sent.
func (c *call) userRegister() error {
	var req struct {
		Users []rawJSON `json:"users"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	// Judge every nickname first; build the list only when answering it.
	roots := make([]ast.Node, len(req.Users))
	judged := make([]int, len(req.Users))
	changed := false
	for i, u := range req.Users {
		judged[i] = -1
		if u == nil {
			continue
		}
		root, err := sonic.Get(u)
		if err != nil || root.TypeSafe() != ast.V_OBJECT {
			continue
		}
		if n := root.Get("userID"); c.user == "" && n != nil && n.TypeSafe() == ast.V_STRING {
			c.user, _ = n.String()
		}
		n := root.Get("nickname")
		if n == nil || n.Check() != nil || n.TypeSafe() != ast.V_STRING {
			continue
		}
		nick, err := n.String()
		if err != nil {
			continue
		}
		roots[i], judged[i] = root, c.judgeField(nick)
		changed = changed || c.changed(judged[i])
	}
	if !changed || c.refuse {
		return nil
	}
	list := []byte{'['}
	for i, u := range req.Users {
		if i > 0 {
			list = append(list, ',')
		}
		switch {
		case u == nil:
			list = append(list, "null"...)
		case !c.changed(judged[i]):
			list = append(list, u...)
		default:
			t := &c.texts[judged[i]]
			masked := string(c.appendMasked(nil, t.text, judged[i]))
			if _, err := roots[i].Set("nickname", ast.NewString(masked)); err != nil {
				return err
			}
			b, err := roots[i].MarshalJSON()
			if err != nil {
				return err
			}
			list = append(list, b...)
		}
	}
	c.addRaw("users", append(list, ']'))
	return nil
}

// createGroup answers callbackBeforeCreateGroupCommand (docs/openim.md section 6): every
// answer key is applied when non-null, so only masked texts are answered.
func (c *call) createGroup() error {
	var req struct {
		OperationID   string `json:"operationID"`
		GroupName     string `json:"groupName"`
		Notification  string `json:"notification"`
		Introduction  string `json:"introduction"`
		CreatorUserID string `json:"creatorUserID"`
		OwnerUserID   string `json:"ownerUserID"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.op, c.user = orStr(req.OperationID, c.op), orStr(req.CreatorUserID, req.OwnerUserID)
	c.maskedField("groupName", req.GroupName)
	c.maskedField("notification", req.Notification)
	c.maskedField("introduction", req.Introduction)
	return nil
}

// setGroupInfo answers callbackBeforeSetGroupInfoCommand (docs/openim.md section 6): OpenIM
// always overwrites groupID, groupName, notification, introduction and
// faceURL with the answer, so all five are echoed; the announcement
// (notification) is not applied from the answer, so it can only refuse.
func (c *call) setGroupInfo() error {
	var req struct {
		GroupID      string `json:"groupID"`
		GroupName    string `json:"groupName"`
		Notification string `json:"notification"`
		Introduction string `json:"introduction"`
		FaceURL      string `json:"faceURL"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.GroupID
	c.strict(req.Notification)
	name := c.judgeField(req.GroupName)
	intro := c.judgeField(req.Introduction)
	if c.refuse {
		return nil
	}
	c.addStr("groupID", req.GroupID)
	c.addMasked("groupName", req.GroupName, name)
	c.addStr("notification", req.Notification)
	c.addMasked("introduction", req.Introduction, intro)
	c.addStr("faceURL", req.FaceURL)
	return nil
}

// setGroupInfoEx answers callbackBeforeSetGroupInfoExCommand (docs/openim.md section 6):
// every key is assigned wholesale, so each key is echoed exactly as it was
// sent when non-null, with texts masked; the announcement can only refuse.
func (c *call) setGroupInfoEx() error {
	var req struct {
		GroupID           rawJSON `json:"groupID"`
		GroupName         *string `json:"groupName"`
		Notification      *string `json:"notification"`
		Introduction      *string `json:"introduction"`
		FaceURL           rawJSON `json:"faceURL"`
		Ex                rawJSON `json:"ex"`
		NeedVerification  rawJSON `json:"needVerification"`
		LookMemberInfo    rawJSON `json:"lookMemberInfo"`
		ApplyMemberFriend rawJSON `json:"applyMemberFriend"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	if req.Notification != nil {
		c.strict(*req.Notification)
	}
	name, intro := c.judgeOpt(req.GroupName), c.judgeOpt(req.Introduction)
	if c.refuse {
		return nil
	}
	c.echoRaw("groupID", req.GroupID)
	c.echoText("groupName", req.GroupName, name)
	if req.Notification != nil {
		c.addStr("notification", *req.Notification)
	}
	c.echoText("introduction", req.Introduction, intro)
	c.echoRaw("faceURL", req.FaceURL)
	c.echoRaw("ex", req.Ex)
	c.echoRaw("needVerification", req.NeedVerification)
	c.echoRaw("lookMemberInfo", req.LookMemberInfo)
	c.echoRaw("applyMemberFriend", req.ApplyMemberFriend)
	return nil
}

// setGroupMemberInfo answers callbackBeforeSetGroupMemberInfoCommand
// (docs/openim.md section 6): a non-null nickName answer replaces the group nickname.
func (c *call) setGroupMemberInfo() error {
	var req struct {
		UserID   string  `json:"userID"`
		NickName *string `json:"nickName"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.UserID
	if req.NickName != nil {
		c.maskedField("nickName", *req.NickName)
	}
	return nil
}

// setFriendRemark answers callbackBeforeSetFriendRemarkCommand (docs/openim.md section 6): a
// non-empty remark answer replaces the remark.
func (c *call) setFriendRemark() error {
	var req struct {
		OwnerUserID string `json:"ownerUserID"`
		Remark      string `json:"remark"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.OwnerUserID
	c.maskedField("remark", req.Remark)
	return nil
}

// addFriend answers callbackBeforeAddFriendCommand (block only; docs/openim.md
// section 6).
func (c *call) addFriend() error {
	var req struct {
		FromUserID string `json:"fromUserID"`
		ReqMsg     string `json:"reqMsg"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.FromUserID
	c.strict(req.ReqMsg)
	return nil
}

// joinGroup answers callbackBeforeJoinGroupCommand (block only; docs/openim.md
// section 6).
func (c *call) joinGroup() error {
	var req struct {
		ApplyID    string `json:"applyID"`
		ReqMessage string `json:"reqMessage"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.ApplyID
	c.strict(req.ReqMessage)
	return nil
}

// inviteJoinGroup answers callbackBeforeInviteJoinGroupCommand (block
// only; docs/openim.md section 6).
func (c *call) inviteJoinGroup() error {
	var req struct {
		OperationID string `json:"operationID"`
		GroupID     string `json:"groupID"`
		Reason      string `json:"reason"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.op, c.user = orStr(req.OperationID, c.op), req.GroupID
	c.strict(req.Reason)
	return nil
}

// addFriendAgree answers callbackBeforeAddFriendAgreeCommand (block
// only, docs/openim.md section 6; the text key is "HandleMsg" with a capital H).
func (c *call) addFriendAgree() error {
	var req struct {
		FromUserID string `json:"fromUserID"`
		HandleMsg  string `json:"HandleMsg"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.FromUserID
	c.strict(req.HandleMsg)
	return nil
}
