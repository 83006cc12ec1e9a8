package server_test

import "testing"

// The request bodies of OpenIM's message callbacks (OPENIM.md §3.2:
// pkg/callbackstruct/common.go CommonCallbackReq, no omitempty).

type commonCallbackReq struct {
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

type beforeSendSingleReq struct {
	commonCallbackReq
	RecvID string `json:"recvID"`
}

type beforeSendGroupReq struct {
	commonCallbackReq
	GroupID string `json:"groupID"`
}

const (
	cmdModify    = "callbackBeforeMsgModifyCommand"
	cmdModifyOld = "callbackMsgModifyCommand"
	cmdSingle    = "callbackBeforeSendSingleMsgCommand"
	cmdGroup     = "callbackBeforeSendGroupMsgCommand"
)

// msgBody builds the body OpenIM sends for a message callback: content is
// the element JSON, double-encoded as the string value of "content".
func msgBody(t testing.TB, cmd string, contentType int32, content string) []byte {
	t.Helper()
	c := commonCallbackReq{
		SendID: "u1", CallbackCommand: cmd, ServerMsgID: "0b26", ClientMsgID: "f4ff",
		OperationID: "op-body", SenderPlatformID: 5, SenderNickname: "Ann", SessionType: 3,
		MsgFrom: 100, ContentType: contentType, Status: 1, SendTime: 1746797848316,
		CreateTime: 1746797847589, Content: content,
	}
	switch cmd {
	case cmdSingle:
		c.SessionType = 1
		return mustJSON(t, beforeSendSingleReq{c, "u2"})
	case cmdGroup:
		return mustJSON(t, beforeSendGroupReq{c, "g1"})
	}
	return mustJSON(t, c)
}
