// Package openim holds the bodies of OpenIM's message callbacks exactly as
// open-im-server encodes them (pkg/callbackstruct/common.go, see
// docs/openim.md, "Request body"): every key present (no omitempty), keys in the
// order Go emits them, nil lists as null; and the names of the callback
// commands, which the server routes on. The load generator builds its
// requests from these types and the server's tests build theirs, so that
// both send what OpenIM really sends. The server decodes into its own,
// narrower structs.
package openim

// The message callback commands of OpenIM v3.7 and later, and the modify
// command's name in v3.5 and v3.6. OpenIM appends the command to the
// callback url and also sends it as callbackCommand in the body.
const (
	CmdBeforeMsgModify     = "callbackBeforeMsgModifyCommand"
	CmdMsgModifyOld        = "callbackMsgModifyCommand"
	CmdBeforeSendSingleMsg = "callbackBeforeSendSingleMsgCommand"
	CmdBeforeSendGroupMsg  = "callbackBeforeSendGroupMsgCommand"
)

// The user, group and friend callback commands whose text fields
// (nicknames, group names, remarks, request messages) the server filters.
const (
	CmdBeforeUpdateUserInfo     = "callbackBeforeUpdateUserInfoCommand"
	CmdBeforeUpdateUserInfoEx   = "callbackBeforeUpdateUserInfoExCommand"
	CmdBeforeUserRegister       = "callbackBeforeUserRegisterCommand"
	CmdBeforeCreateGroup        = "callbackBeforeCreateGroupCommand"
	CmdBeforeSetGroupInfo       = "callbackBeforeSetGroupInfoCommand"
	CmdBeforeSetGroupInfoEx     = "callbackBeforeSetGroupInfoExCommand"
	CmdBeforeSetGroupMemberInfo = "callbackBeforeSetGroupMemberInfoCommand"
	CmdBeforeSetFriendRemark    = "callbackBeforeSetFriendRemarkCommand"
	CmdBeforeAddFriend          = "callbackBeforeAddFriendCommand"
	CmdBeforeJoinGroup          = "callbackBeforeJoinGroupCommand"
	CmdBeforeInviteJoinGroup    = "callbackBeforeInviteJoinGroupCommand"
	CmdBeforeAddFriendAgree     = "callbackBeforeAddFriendAgreeCommand"
)

// CommonCallbackReq is the body of the modify callback and the common part
// of the before-send callbacks. Content holds the message element's JSON
// as a string (so the element is encoded twice on the wire).
type CommonCallbackReq struct {
	SendID           string   `json:"sendID"`
	CallbackCommand  string   `json:"callbackCommand"`
	ServerMsgID      string   `json:"serverMsgID"`
	ClientMsgID      string   `json:"clientMsgID"`
	OperationID      string   `json:"operationID"`
	SenderPlatformID int32    `json:"senderPlatformID"`
	SenderNickname   string   `json:"senderNickname"`
	SessionType      int32    `json:"sessionType"`
	MsgFrom          int32    `json:"msgFrom"`
	ContentType      int32    `json:"contentType"`
	Status           int32    `json:"status"`
	SendTime         int64    `json:"sendTime"`
	CreateTime       int64    `json:"createTime"`
	Content          string   `json:"content"`
	Seq              uint32   `json:"seq"`
	AtUserList       []string `json:"atUserList"`
	FaceURL          string   `json:"faceURL"`
	Ex               string   `json:"ex"`
}

// SingleMsgReq is the body of callbackBeforeSendSingleMsgCommand.
type SingleMsgReq struct {
	CommonCallbackReq
	RecvID string `json:"recvID"`
}

// GroupMsgReq is the body of callbackBeforeSendGroupMsgCommand.
type GroupMsgReq struct {
	CommonCallbackReq
	GroupID string `json:"groupID"`
}
