package server_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/wordfilter/wordfilter/server"
)

// elementCase is a content element of one content type (docs/openim.md,
// content shapes),
// with the human-text keys a mask word sits in.
type elementCase struct {
	name        string
	contentType int32
	element     string // the element JSON as the SDK sends it
	want        string // the element after masking; "" when nothing changes
}

// maskCases put the mask word "fuck" in every human-text key, and also in
// keys that are not human text (URLs, custom data), which must stay as
// sent. Quoted and forwarded older messages stay as sent too (they were
// masked when first sent: see TestFabricatedQuotesAreRefused).
var maskCases = []elementCase{
	{"Text", 101,
		`{"content":"what the fuck"}`,
		`{"content":"what the ****"}`},
	{"Markdown", 118,
		`{"content":"# fuck"}`,
		`{"content":"# ****"}`},
	{"File", 105,
		`{"filePath":"/tmp/fuck.txt","uuid":"u-1","sourceUrl":"https://x/fuck.txt","fileName":"fuck.txt","fileSize":12,"fileType":"txt"}`,
		`{"filePath":"/tmp/fuck.txt","uuid":"u-1","sourceUrl":"https://x/fuck.txt","fileName":"****.txt","fileSize":12,"fileType":"txt"}`},
	{"AtText", 106,
		`{"text":"@bob fuck off","atUserList":["bob"],"atUsersInfo":[{"atUserID":"bob","groupNickname":"fuck boy"},{"atUserID":"amy","groupNickname":"Amy"}],"isAtSelf":false}`,
		`{"text":"@bob **** off","atUserList":["bob"],"atUsersInfo":[{"atUserID":"bob","groupNickname":"**** boy"},{"atUserID":"amy","groupNickname":"Amy"}],"isAtSelf":false}`},
	{"Merger", 107,
		`{"title":"fuck chat","abstractList":["bob: fuck","amy: hi"],"multiMessage":[{"contentType":101,"content":"{\"content\":\"**** it\"}","textElem":{"content":"**** it"},"sourceUrl":"https://x/fuck"}]}`,
		`{"title":"**** chat","abstractList":["bob: ****","amy: hi"],"multiMessage":[{"contentType":101,"content":"{\"content\":\"**** it\"}","textElem":{"content":"**** it"},"sourceUrl":"https://x/fuck"}]}`},
	{"Card", 108,
		`{"userID":"fuck01","nickname":"fuck","faceURL":"https://x/fuck.png","ex":""}`,
		`{"userID":"fuck01","nickname":"****","faceURL":"https://x/fuck.png","ex":""}`},
	{"Location", 109,
		`{"description":"fuck street 1","longitude":116.397128,"latitude":39.916527}`,
		`{"description":"**** street 1","longitude":116.397128,"latitude":39.916527}`},
	{"Custom", 110,
		`{"data":"{\"k\":\"fuck\"}","description":"fuck","extension":"fuck"}`,
		`{"data":"{\"k\":\"fuck\"}","description":"****","extension":"fuck"}`},
	{"Quote", 114,
		`{"text":"fuck yes","quoteMessage":{"contentType":101,"content":"{\"content\":\"**** you\"}","ex":"fuck"}}`,
		`{"text":"**** yes","quoteMessage":{"contentType":101,"content":"{\"content\":\"**** you\"}","ex":"fuck"}}`},
	{"AdvancedText", 117,
		`{"text":"so fuck","messageEntityList":[{"type":"bold","offset":3,"length":4,"url":"","ex":""}]}`,
		`{"text":"so ****","messageEntityList":[{"type":"bold","offset":3,"length":4,"url":"","ex":""}]}`},
	{"Picture", 102,
		`{"sourcePath":"/fuck.png","sourcePicture":{"uuid":"p","type":"png","size":1,"width":2,"height":3,"url":"https://x/fuck.png"}}`,
		""},
	{"Voice", 103,
		`{"uuid":"s","soundPath":"/fuck.m4a","sourceUrl":"https://x/fuck.m4a","dataSize":1,"duration":2,"soundType":"m4a"}`,
		""},
}

func TestModifyMasksEveryTextBearingContentType(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	for _, tc := range maskCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, cmd := range []string{cmdModify, cmdModifyOld} {
				resp, keys := ts.callback("/callbackExample/"+cmd, msgBody(t, cmd, tc.contentType, tc.element))
				if resp.refused(t) {
					t.Fatalf("%s refused a mask-level message: %+v", cmd, resp)
				}
				if tc.want == "" {
					if _, ok := keys["content"]; ok {
						t.Errorf("%s answered content %q for an element without human text", cmd, *resp.Content)
					}
					continue
				}
				if resp.Content == nil {
					t.Fatalf("%s did not answer content; OpenIM would deliver %s", cmd, tc.element)
				}
				if *resp.Content != tc.want {
					t.Errorf("%s content = %s\nwant %s", cmd, *resp.Content, tc.want)
				}
				var obj map[string]any
				if err := json.Unmarshal([]byte(*resp.Content), &obj); err != nil {
					t.Errorf("content is not a JSON object (OpenIM main rejects it): %v", err)
				}
			}
		})
	}
}

func TestModifyPreservesOtherKeysByteForByte(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	// Values keep their exact JSON (number spelling, nested spacing, key
	// order); only the whitespace between top-level members may change.
	elem := `{"b":1.50e3,"content":"fuck \u4f60\"q\"","z":{"x":[1, 2, {"y":null}]},"content2":"fuck"}`
	want := `{"b":1.50e3,"content":"**** 你\"q\"","z":{"x":[1, 2, {"y":null}]},"content2":"fuck"}`
	resp, _ := ts.callback("/cb/"+cmdModify, msgBody(t, cmdModify, 101, elem))
	if resp.Content == nil || *resp.Content != want {
		t.Fatalf("content = %s, want %s", ptrStr(resp.Content), want)
	}
}

func TestModifyCleanMessageAnswersAllowWithoutContent(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	for _, text := range []string{"hello there", "visit the casino"} { // pass and review
		r := ts.do("POST", "/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, `{"content":"`+text+`"}`))
		if got, want := string(r.body), `{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}`; got != want {
			t.Errorf("clean message %q answered %s, want %s", text, got, want)
		}
	}
}

func TestModifyPlainTextContentIsFilteredAsText(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	for _, content := range []string{"what the fuck", `{"content":"fuck"`, `["fuck"]`} {
		resp, _ := ts.callback("/callbackExample/"+cmdModify, msgBody(t, cmdModify, 101, content))
		if resp.Content == nil || strings.Contains(*resp.Content, "fuck") {
			t.Errorf("content %q answered %v, want the masked text", content, resp.Content)
		}
	}
}

func TestModifyMasksSenderNickname(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	c := commonCallbackReq{CallbackCommand: cmdModify, SendID: "u1", SenderNickname: "fuck", ContentType: 101,
		Content: `{"content":"hi"}`}
	resp, keys := ts.callback("/x/"+cmdModify, mustJSON(t, c))
	if resp.SenderNickname == nil || *resp.SenderNickname != "****" {
		t.Errorf("senderNickname = %v, want ****", resp.SenderNickname)
	}
	if _, ok := keys["content"]; ok {
		t.Errorf("answered content for an unchanged element: %s", keys["content"])
	}
}

func TestBlockWordRefusesEveryMessageCallback(t *testing.T) {
	ts := newTestServer(t, server.Config{BlockCode: 20001})
	for _, tc := range maskCases {
		if tc.want == "" {
			continue
		}
		elem := strings.ReplaceAll(tc.want, "****", "法轮功")
		for _, cmd := range []string{cmdModify, cmdModifyOld, cmdSingle, cmdGroup} {
			resp, keys := ts.callback("/callbackExample/"+cmd, msgBody(t, cmd, tc.contentType, elem))
			if !resp.refused(t) || resp.ErrCode != 20001 {
				t.Errorf("%s %s with a block word: %+v, want refused with errCode 20001", cmd, tc.name, resp)
				continue
			}
			if !strings.Contains(resp.ErrMsg, "politics") || strings.Contains(resp.ErrMsg, "法轮功") {
				t.Errorf("errMsg %q should name the category and never the word", resp.ErrMsg)
			}
			if _, ok := keys["content"]; ok {
				t.Errorf("%s refusal carries content", cmd)
			}
		}
	}
}

func TestBeforeSendRefusesMaskWordsTheModifyCallbackDoesNotSee(t *testing.T) {
	ts := newTestServer(t, server.Config{}) // modify sees 101 only, as OpenIM releases
	wide := newTestServer(t, server.Config{ModifyContentTypes: []int32{101, 105, 106, 107, 108, 109, 110, 114, 117, 118}})
	for _, tc := range maskCases {
		for _, cmd := range []string{cmdSingle, cmdGroup} {
			body := msgBody(t, cmd, tc.contentType, tc.element)
			resp, keys := ts.callback("/callbackExample/"+cmd, body)
			wantRefused := tc.want != "" && tc.contentType != 101
			if got := resp.refused(t); got != wantRefused {
				t.Errorf("%s %s refused = %v, want %v (%+v)", cmd, tc.name, got, wantRefused, resp)
			}
			if wantRefused && !strings.Contains(resp.ErrMsg, "profanity") {
				t.Errorf("errMsg %q should name the category profanity", resp.ErrMsg)
			}
			if _, ok := keys["content"]; ok {
				t.Errorf("%s answered content; OpenIM ignores it on before-send", cmd)
			}
			if resp, _ := wide.callback("/callbackExample/"+cmd, body); resp.refused(t) {
				t.Errorf("%s %s refused although the modify callback sees the type", cmd, tc.name)
			}
		}
	}
}

func TestNotificationsAreAlwaysAllowed(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	for _, ct := range []int32{1000, 1501, 2101, 5000} {
		for _, cmd := range []string{cmdModify, cmdSingle, cmdGroup} {
			resp, keys := ts.callback("/callbackExample/"+cmd, msgBody(t, cmd, ct, `{"content":"法轮功 fuck"}`))
			if resp.refused(t) || keys["content"] != nil {
				t.Errorf("%s contentType %d: %+v, want a plain allow", cmd, ct, resp)
			}
		}
	}
}

func TestRefusalIsLoggedOnceWithoutText(t *testing.T) {
	for _, logText := range []bool{false, true} {
		ts := newTestServer(t, server.Config{LogText: logText})
		ts.callback("/callbackExample/"+cmdGroup, msgBody(t, cmdGroup, 101, `{"content":"我爱法轮功"}`))
		ts.callback("/callbackExample/"+cmdGroup, msgBody(t, cmdGroup, 101, `{"content":"clean"}`))
		// Requests of the same shape and size reuse fasthttp's buffers: a
		// logged field that aliases them would now read other bytes.
		for i := 0; i < 8; i++ {
			c := commonCallbackReq{SendID: "xx", CallbackCommand: cmdGroup, OperationID: "op-body", ContentType: 101,
				Content: `{"content":"我爱法轮功"}`}
			body := mustJSON(t, beforeSendGroupReq{CommonCallbackReq: c, GroupID: "g1"})
			ts.do("POST", "/callbackExampleXXXXXXXXXXXXX/"+cmdGroup[:len(cmdGroup)-7]+"Command", body, "operationID", "op-XXXX")
		}
		entries := ts.logs.FilterMessage("refused").All()
		if len(entries) != 9 {
			t.Fatalf("LogText=%v: %d refusal log lines, want 9", logText, len(entries))
		}
		f := entries[0].ContextMap()
		want := map[string]any{"operationID": "op-body", "command": cmdGroup, "sendID": "u1",
			"category": "politics", "dictVersion": "v1"}
		for k, v := range want {
			if f[k] != v {
				t.Errorf("log field %s = %v, want %v", k, f[k], v)
			}
		}
		if _, has := f["text"]; has != logText {
			t.Errorf("LogText=%v: log has text = %v", logText, has)
		}
		if logText && f["text"] != "我爱法轮功" {
			t.Errorf("logged text = %v", f["text"])
		}
		if n := ts.logs.FilterLevelExact(0).Len(); n != 9 { // info level
			t.Errorf("%d info lines, want only the refusal (nothing per clean request)", n)
		}
	}
}

// profileCase is a profile or group callback and what OpenIM gets back.
type profileCase struct {
	name    string
	cmd     string
	body    string
	refused bool
	want    map[string]string // answer keys beyond CommonCallbackResp, as raw JSON
}

var profileCases = []profileCase{
	{"UpdateUserInfoEx masked", "callbackBeforeUpdateUserInfoExCommand",
		`{"callbackCommand":"callbackBeforeUpdateUserInfoExCommand","userID":"u1","nickName":"fuck","faceURL":null,"ex":"{\"a\":1}"}`,
		false, map[string]string{"nickName": `"****"`, "ex": `"{\"a\":1}"`}},
	{"UpdateUserInfoEx clean echoes non-null keys", "callbackBeforeUpdateUserInfoExCommand",
		`{"callbackCommand":"callbackBeforeUpdateUserInfoExCommand","userID":"u1","nickName":null,"faceURL":"https://x/a.png","ex":null}`,
		false, map[string]string{"faceURL": `"https://x/a.png"`}},
	{"UpdateUserInfoEx block", "callbackBeforeUpdateUserInfoExCommand",
		`{"callbackCommand":"callbackBeforeUpdateUserInfoExCommand","userID":"u1","nickName":"法轮功","faceURL":null,"ex":null}`,
		true, nil},
	{"UpdateUserInfo masked", "callbackBeforeUpdateUserInfoCommand",
		`{"callbackCommand":"callbackBeforeUpdateUserInfoCommand","userID":"u1","nickName":"fuck","faceURL":"","ex":null}`,
		false, map[string]string{"nickName": `"****"`}},
	{"UpdateUserInfo clean", "callbackBeforeUpdateUserInfoCommand",
		`{"callbackCommand":"callbackBeforeUpdateUserInfoCommand","userID":"u1","nickName":"Ann","faceURL":"","ex":null}`,
		false, map[string]string{}},
	{"UserRegister echoes every user", "callbackBeforeUserRegisterCommand",
		`{"callbackCommand":"callbackBeforeUserRegisterCommand","users":[{"userID":"a","nickname":"Amy","faceURL":"","ex":"","createTime":0,"appMangerLevel":0,"globalRecvMsgOpt":0},{"userID":"b","nickname":"fuck","faceURL":"f","ex":"x","createTime":12,"appMangerLevel":1,"globalRecvMsgOpt":2}]}`,
		false, map[string]string{"users": `[{"userID":"a","nickname":"Amy","faceURL":"","ex":"","createTime":0,"appMangerLevel":0,"globalRecvMsgOpt":0},{"userID":"b","nickname":"****","faceURL":"f","ex":"x","createTime":12,"appMangerLevel":1,"globalRecvMsgOpt":2}]`}},
	{"UserRegister clean", "callbackBeforeUserRegisterCommand",
		`{"callbackCommand":"callbackBeforeUserRegisterCommand","users":[{"userID":"a","nickname":"Amy"}]}`,
		false, map[string]string{}},
	{"UserRegister block", "callbackBeforeUserRegisterCommand",
		`{"callbackCommand":"callbackBeforeUserRegisterCommand","users":[{"userID":"a","nickname":"Amy"},{"userID":"b","nickname":"法轮功"}]}`,
		true, nil},
	{"CreateGroup masked", "callbackBeforeCreateGroupCommand",
		`{"operationID":"o","callbackCommand":"callbackBeforeCreateGroupCommand","groupID":"","groupName":"fuck club","notification":"welcome","introduction":"we fuck around","faceURL":"","ownerUserID":"u1","createTime":0,"memberCount":0,"ex":"","status":0,"creatorUserID":"u1","groupType":2,"needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0,"notificationUpdateTime":0,"notificationUserID":"","initMemberList":[{"userID":"u2","roleLevel":20}]}`,
		false, map[string]string{"groupName": `"**** club"`, "introduction": `"we **** around"`}},
	{"CreateGroup notification can be rewritten", "callbackBeforeCreateGroupCommand",
		`{"callbackCommand":"callbackBeforeCreateGroupCommand","groupName":"club","notification":"fuck rules","introduction":""}`,
		false, map[string]string{"notification": `"**** rules"`}},
	{"CreateGroup block", "callbackBeforeCreateGroupCommand",
		`{"callbackCommand":"callbackBeforeCreateGroupCommand","groupName":"法轮功"}`,
		true, nil},
	{"SetGroupInfo clean echoes the five strings", "callbackBeforeSetGroupInfoCommand",
		`{"callbackCommand":"callbackBeforeSetGroupInfoCommand","operationID":"","groupID":"g1","groupName":"club","notification":"","introduction":"hi","faceURL":"f","ex":"","needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0}`,
		false, map[string]string{"groupID": `"g1"`, "groupName": `"club"`, "notification": `""`, "introduction": `"hi"`, "faceURL": `"f"`}},
	{"SetGroupInfo masked", "callbackBeforeSetGroupInfoCommand",
		`{"callbackCommand":"callbackBeforeSetGroupInfoCommand","operationID":"","groupID":"g1","groupName":"fuck club","notification":"","introduction":"","faceURL":"","ex":"","needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0}`,
		false, map[string]string{"groupID": `"g1"`, "groupName": `"**** club"`, "notification": `""`, "introduction": `""`, "faceURL": `""`}},
	{"SetGroupInfo announcement cannot be rewritten", "callbackBeforeSetGroupInfoCommand",
		`{"callbackCommand":"callbackBeforeSetGroupInfoCommand","groupID":"g1","groupName":"","notification":"fuck rules","introduction":"","faceURL":""}`,
		true, nil},
	{"SetGroupInfoEx echoes non-null keys", "callbackBeforeSetGroupInfoExCommand",
		`{"callbackCommand":"callbackBeforeSetGroupInfoExCommand","operationID":"","groupID":"g1","groupName":"fuck club","notification":null,"introduction":"hi","faceURL":null,"ex":"{}","needVerification":1,"lookMemberInfo":null,"applyMemberFriend":0}`,
		false, map[string]string{"groupID": `"g1"`, "groupName": `"**** club"`, "introduction": `"hi"`, "ex": `"{}"`, "needVerification": `1`, "applyMemberFriend": `0`}},
	{"SetGroupInfoEx announcement cannot be rewritten", "callbackBeforeSetGroupInfoExCommand",
		`{"callbackCommand":"callbackBeforeSetGroupInfoExCommand","groupID":"g1","groupName":null,"notification":"fuck rules","introduction":null}`,
		true, nil},
	{"SetGroupInfoEx clean announcement echoed", "callbackBeforeSetGroupInfoExCommand",
		`{"callbackCommand":"callbackBeforeSetGroupInfoExCommand","groupID":"g1","groupName":null,"notification":"rules","introduction":null,"faceURL":null,"ex":null,"needVerification":null,"lookMemberInfo":null,"applyMemberFriend":null}`,
		false, map[string]string{"groupID": `"g1"`, "notification": `"rules"`}},
	{"SetGroupMemberInfo masked", "callbackBeforeSetGroupMemberInfoCommand",
		`{"callbackCommand":"callbackBeforeSetGroupMemberInfoCommand","groupID":"g1","userID":"u1","nickName":"fuck","faceURL":null,"roleLevel":null,"ex":null}`,
		false, map[string]string{"nickName": `"****"`}},
	{"SetGroupMemberInfo null nickname", "callbackBeforeSetGroupMemberInfoCommand",
		`{"callbackCommand":"callbackBeforeSetGroupMemberInfoCommand","groupID":"g1","userID":"u1","nickName":null,"faceURL":"f","roleLevel":20,"ex":null}`,
		false, map[string]string{}},
	{"SetFriendRemark masked", "callbackBeforeSetFriendRemarkCommand",
		`{"callbackCommand":"callbackBeforeSetFriendRemarkCommand","ownerUserID":"u1","friendUserID":"u2","remark":"fuck head"}`,
		false, map[string]string{"remark": `"**** head"`}},
	{"AddFriend mask refuses", "callbackBeforeAddFriendCommand",
		`{"callbackCommand":"callbackBeforeAddFriendCommand","fromUserID":"u1","toUserID":"u2","reqMsg":"fuck you","ex":""}`,
		true, nil},
	{"AddFriend review allows", "callbackBeforeAddFriendCommand",
		`{"callbackCommand":"callbackBeforeAddFriendCommand","fromUserID":"u1","toUserID":"u2","reqMsg":"casino?","ex":""}`,
		false, map[string]string{}},
	{"JoinGroup mask refuses", "callbackBeforeJoinGroupCommand",
		`{"callbackCommand":"callbackBeforeJoinGroupCommand","groupID":"g1","groupType":"\u0002","applyID":"u1","reqMessage":"let me in, fuck","ex":""}`,
		true, nil},
	{"InviteJoinGroup mask refuses", "callbackBeforeInviteJoinGroupCommand",
		`{"callbackCommand":"callbackBeforeInviteJoinGroupCommand","operationID":"o","groupID":"g1","invitedUserIDs":["u2"],"reason":"fuck"}`,
		true, nil},
	{"InviteJoinGroup clean", "callbackBeforeInviteJoinGroupCommand",
		`{"callbackCommand":"callbackBeforeInviteJoinGroupCommand","operationID":"o","groupID":"g1","invitedUserIDs":null,"reason":"join us"}`,
		false, map[string]string{}},
	{"AddFriendAgree mask refuses", "callbackBeforeAddFriendAgreeCommand",
		`{"callbackCommand":"callbackBeforeAddFriendAgreeCommand","fromUserID":"u1","blackUserID":"u2","HandleResult":1,"HandleMsg":"fuck ok"}`,
		true, nil},
	{"Unknown command allowed", "callbackBeforeOfflinePushCommand",
		`{"callbackCommand":"callbackBeforeOfflinePushCommand","content":"法轮功"}`,
		false, map[string]string{}},
}

func TestProfileAndGroupCallbacks(t *testing.T) {
	ts := newTestServer(t, server.Config{})
	common := map[string]bool{"actionCode": true, "errCode": true, "errMsg": true, "errDlt": true, "nextCode": true}
	for _, tc := range profileCases {
		t.Run(tc.name, func(t *testing.T) {
			resp, keys := ts.callback("/callbackExample/"+tc.cmd, []byte(tc.body))
			if got := resp.refused(t); got != tc.refused {
				t.Fatalf("refused = %v, want %v (%+v)", got, tc.refused, resp)
			}
			if tc.refused {
				if resp.ErrCode != server.DefaultBlockCode {
					t.Errorf("errCode = %d, want %d", resp.ErrCode, server.DefaultBlockCode)
				}
				return
			}
			got := map[string]string{}
			for k, v := range keys {
				if !common[k] {
					got[k] = string(v)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("answer keys = %v\nwant %v", got, tc.want)
			}
		})
	}
}

func ptrStr(p *string) string {
	if p == nil {
		return "<absent>"
	}
	return *p
}
