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

// echoText adds key to the answer: the masked text when text is non-nil.
// OpenIM's Ex callbacks need every non-null request key echoed.
func (c *call) echoText(key string, text *string) {
	if text != nil {
		masked, _ := c.filter(*text)
		c.addStr(key, masked)
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

// changedText adds key to the answer only when masking changed text.
func (c *call) changedText(key, text string) {
	if masked, changed := c.filter(text); changed {
		c.addStr(key, masked)
	}
}

// updateUserInfoEx answers callbackBeforeUpdateUserInfoExCommand
// (OPENIM.md §4.1): echo exactly the keys that were non-null (OpenIM
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
	c.echoText("nickName", req.NickName)
	c.echoRaw("faceURL", req.FaceURL)
	c.echoRaw("ex", req.Ex)
	return nil
}

// updateUserInfo answers the deprecated callbackBeforeUpdateUserInfoCommand
// (§4.2): answer nickName only when masked.
func (c *call) updateUserInfo() error {
	var req struct {
		UserID   string `json:"userID"`
		NickName string `json:"nickName"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	c.user = req.UserID
	c.changedText("nickName", req.NickName)
	return nil
}

// userRegister answers callbackBeforeUserRegisterCommand (§4.3): a
// non-empty users answer replaces the whole list, so when a nickname is
// masked every user is echoed, each with its other keys as sent.
func (c *call) userRegister() error {
	var req struct {
		Users []rawJSON `json:"users"`
	}
	if err := c.decode(&req); err != nil {
		return err
	}
	out := make([][]byte, len(req.Users))
	changed := false
	for i, u := range req.Users {
		out[i] = u
		if u == nil {
			out[i] = []byte("null")
			continue
		}
		root, err := sonic.Get(u)
		if err != nil || root.TypeSafe() != ast.V_OBJECT {
			continue
		}
		if n := root.Get("userID"); c.user == "" && n != nil && n.TypeSafe() == ast.V_STRING {
			c.user, _ = n.String()
		}
		bad := false
		if c.filterKey(&root, "nickname", &bad) {
			b, err := root.MarshalJSON()
			if err != nil {
				return err
			}
			out[i], changed = b, true
		}
	}
	if !changed || c.refuse {
		return nil
	}
	list := []byte{'['}
	for i, u := range out {
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, u...)
	}
	c.addRaw("users", append(list, ']'))
	return nil
}

// createGroup answers callbackBeforeCreateGroupCommand (§4.4): every
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
	c.changedText("groupName", req.GroupName)
	c.changedText("notification", req.Notification)
	c.changedText("introduction", req.Introduction)
	return nil
}

// setGroupInfo answers callbackBeforeSetGroupInfoCommand (§4.5): OpenIM
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
	name, _ := c.filter(req.GroupName)
	intro, _ := c.filter(req.Introduction)
	c.addStr("groupID", req.GroupID)
	c.addStr("groupName", name)
	c.addStr("notification", req.Notification)
	c.addStr("introduction", intro)
	c.addStr("faceURL", req.FaceURL)
	return nil
}

// setGroupInfoEx answers callbackBeforeSetGroupInfoExCommand (§4.6):
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
	c.echoRaw("groupID", req.GroupID)
	c.echoText("groupName", req.GroupName)
	if req.Notification != nil {
		c.addStr("notification", *req.Notification)
	}
	c.echoText("introduction", req.Introduction)
	c.echoRaw("faceURL", req.FaceURL)
	c.echoRaw("ex", req.Ex)
	c.echoRaw("needVerification", req.NeedVerification)
	c.echoRaw("lookMemberInfo", req.LookMemberInfo)
	c.echoRaw("applyMemberFriend", req.ApplyMemberFriend)
	return nil
}

// setGroupMemberInfo answers callbackBeforeSetGroupMemberInfoCommand
// (§4.7): a non-null nickName answer replaces the group nickname.
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
		c.changedText("nickName", *req.NickName)
	}
	return nil
}

// setFriendRemark answers callbackBeforeSetFriendRemarkCommand (§4.8): a
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
	c.changedText("remark", req.Remark)
	return nil
}

// addFriend answers callbackBeforeAddFriendCommand (§4.9, block only).
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

// joinGroup answers callbackBeforeJoinGroupCommand (§4.9, block only).
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

// inviteJoinGroup answers callbackBeforeInviteJoinGroupCommand (§4.9,
// block only).
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

// addFriendAgree answers callbackBeforeAddFriendAgreeCommand (§4.9, block
// only; the text key is "HandleMsg" with a capital H).
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
