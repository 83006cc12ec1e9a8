package server_test

import (
	"testing"

	"github.com/wordfilter/wordfilter/internal/openim"
)

// The request bodies of OpenIM's message callbacks (docs/openim.md, "Request
// body": open-im-server pkg/callbackstruct/common.go CommonCallbackReq, no
// omitempty).

type (
	commonCallbackReq   = openim.CommonCallbackReq
	beforeSendSingleReq = openim.SingleMsgReq
	beforeSendGroupReq  = openim.GroupMsgReq
)

const (
	cmdModify    = openim.CmdBeforeMsgModify
	cmdModifyOld = openim.CmdMsgModifyOld
	cmdSingle    = openim.CmdBeforeSendSingleMsg
	cmdGroup     = openim.CmdBeforeSendGroupMsg
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
		return mustJSON(t, beforeSendSingleReq{CommonCallbackReq: c, RecvID: "u2"})
	case cmdGroup:
		return mustJSON(t, beforeSendGroupReq{CommonCallbackReq: c, GroupID: "g1"})
	}
	return mustJSON(t, c)
}
