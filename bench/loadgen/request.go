package loadgen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wordfilter/wordfilter/internal/openim"
)

// OpenIM callback command names (open-im-server pkg/callbackstruct/constant.go).
const (
	CmdModify     = openim.CmdBeforeMsgModify
	CmdSendSingle = openim.CmdBeforeSendSingleMsg
	CmdSendGroup  = openim.CmdBeforeSendGroupMsg
)

// OpenIM content types used by the load (openimsdk/protocol constant.go).
const (
	ContentText   = 101
	ContentAtText = 106
	ContentQuote  = 114
)

// OpenIM session types.
const (
	sessionSingle = 1
	sessionGroup  = 3
)

// Kind is one kind of callback request: a command and the content type of
// the message it carries.
type Kind struct {
	// Name is the mix name of the kind, such as "modify" or "group-106".
	Name string
	// Command is the OpenIM callback command, the last path segment.
	Command string
	// ContentType is the message's OpenIM content type.
	ContentType int32
}

// kinds lists every Kind a Mix may name, in a fixed order.
var kinds = []Kind{
	{"modify", CmdModify, ContentText},
	{"single-101", CmdSendSingle, ContentText},
	{"single-106", CmdSendSingle, ContentAtText},
	{"single-114", CmdSendSingle, ContentQuote},
	{"group-101", CmdSendGroup, ContentText},
	{"group-106", CmdSendGroup, ContentAtText},
	{"group-114", CmdSendGroup, ContentQuote},
}

// KindNames returns the names a Mix may use, in a fixed order.
func KindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

func kindByName(name string) (Kind, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// MixEntry is one kind of request and its relative weight in a Mix.
type MixEntry struct {
	Kind   Kind
	Weight int
}

// Mix is the proportion of each kind of request in a load. Build it with
// ParseMix.
type Mix []MixEntry

// ParseMix parses a mix such as "modify=6,group-101=2,single-106=1". A name
// without "=weight" has weight 1. Names are those of KindNames.
func ParseMix(s string) (Mix, error) {
	var m Mix
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, hasW := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		k, ok := kindByName(name)
		if !ok {
			return nil, fmt.Errorf("loadgen: unknown request kind %q in mix (known: %s)", name, strings.Join(KindNames(), ", "))
		}
		if seen[name] {
			return nil, fmt.Errorf("loadgen: request kind %q named twice in mix", name)
		}
		seen[name] = true
		weight := 1
		if hasW {
			n, err := strconv.Atoi(strings.TrimSpace(w))
			if err != nil || n < 0 || n > 1000 {
				return nil, fmt.Errorf("loadgen: weight of %q must be a whole number from 0 to 1000, not %q", name, w)
			}
			weight = n
		}
		if weight > 0 {
			m = append(m, MixEntry{k, weight})
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("loadgen: mix %q names no request kind with a weight above 0", s)
	}
	return m, nil
}

// String returns the mix in the form ParseMix reads.
func (m Mix) String() string {
	parts := make([]string, len(m))
	for i, e := range m {
		parts[i] = e.Kind.Name + "=" + strconv.Itoa(e.Weight)
	}
	return strings.Join(parts, ",")
}

// ReadMessages reads one message a line from r, skipping blank lines, until
// EOF or max messages (max <= 0 means no limit). Invalid UTF-8 is kept: the
// request builder replaces it as OpenIM's encoder does.
func ReadMessages(r io.Reader, max int) ([]string, error) {
	var msgs []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		msgs = append(msgs, line)
		if max > 0 && len(msgs) >= max {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return msgs, fmt.Errorf("loadgen: cannot read messages: %w", err)
	}
	return msgs, nil
}

// LoadMessages reads the messages of every file in paths (see ReadMessages),
// at most max from each file when max > 0.
func LoadMessages(paths []string, max int) ([]string, error) {
	var all []string
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("loadgen: cannot open messages %q: %w", p, err)
		}
		msgs, err := ReadMessages(f, max)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("loadgen: %q: %w", p, err)
		}
		if len(msgs) == 0 {
			return nil, fmt.Errorf("loadgen: %q holds no message", p)
		}
		all = append(all, msgs...)
	}
	if len(all) == 0 {
		return nil, errors.New("loadgen: no message file given")
	}
	return all, nil
}

// Request is one prepared HTTP request. Its fields must not be changed
// while a Run uses it.
type Request struct {
	// Kind is the mix name of the request's kind.
	Kind string
	// Path is the request path, the configured prefix and the command.
	Path string
	// OperationID is the trace id, sent in the operationID header and body.
	OperationID string
	// Body is the JSON body as OpenIM sends it.
	Body []byte
}

// BuildConfig tunes Build.
type BuildConfig struct {
	// Prefix is the path before the command, as in OpenIM's webhooks.yml url
	// (default "/callbackExample"; use "/" for none).
	Prefix string
	// Count is how many requests to build (default: one per message, at most
	// 20000).
	Count int
	// Seed makes the choice of messages and kinds reproducible.
	Seed uint64
	// Now is the send time written into the requests (default time.Now).
	Now time.Time
}

// The request bodies, as open-im-server encodes them.
type (
	// CommonCallbackReq is the modify callback's body (see package openim).
	CommonCallbackReq = openim.CommonCallbackReq
	// SingleMsgReq is the body of callbackBeforeSendSingleMsgCommand.
	SingleMsgReq = openim.SingleMsgReq
	// GroupMsgReq is the body of callbackBeforeSendGroupMsgCommand.
	GroupMsgReq = openim.GroupMsgReq
)

// TextElem is the content of a Text (101) message.
type TextElem struct {
	Content string `json:"content"`
}

// AtInfo names one @-mentioned user of an AtText message.
type AtInfo struct {
	AtUserID      string `json:"atUserID"`
	GroupNickname string `json:"groupNickname"`
}

// AtTextElem is the content of an AtText (106) message as the SDK sends it.
type AtTextElem struct {
	Text        string   `json:"text"`
	AtUserList  []string `json:"atUserList"`
	AtUsersInfo []AtInfo `json:"atUsersInfo"`
	IsAtSelf    bool     `json:"isAtSelf"`
}

// QuotedMsg is the part of an SDK MsgStruct that a quote carries.
type QuotedMsg struct {
	ClientMsgID      string    `json:"clientMsgID"`
	ServerMsgID      string    `json:"serverMsgID"`
	CreateTime       int64     `json:"createTime"`
	SendTime         int64     `json:"sendTime"`
	SessionType      int32     `json:"sessionType"`
	SendID           string    `json:"sendID"`
	RecvID           string    `json:"recvID,omitempty"`
	MsgFrom          int32     `json:"msgFrom"`
	ContentType      int32     `json:"contentType"`
	SenderPlatformID int32     `json:"senderPlatformID"`
	SenderNickname   string    `json:"senderNickname,omitempty"`
	GroupID          string    `json:"groupID,omitempty"`
	Content          string    `json:"content"`
	Seq              int64     `json:"seq"`
	IsRead           bool      `json:"isRead"`
	Status           int32     `json:"status"`
	TextElem         *TextElem `json:"textElem,omitempty"`
}

// QuoteElem is the content of a Quote (114) message.
type QuoteElem struct {
	Text         string    `json:"text"`
	QuoteMessage QuotedMsg `json:"quoteMessage"`
}

// Build prepares cfg.Count requests from msgs in the proportions of mix.
// The result depends only on its arguments (and cfg.Now).
func Build(msgs []string, mix Mix, cfg BuildConfig) ([]Request, error) {
	if len(msgs) == 0 {
		return nil, errors.New("loadgen: no message to build requests from")
	}
	if len(mix) == 0 {
		return nil, errors.New("loadgen: empty mix")
	}
	prefix := strings.TrimRight(cfg.Prefix, "/")
	if cfg.Prefix == "" {
		prefix = "/callbackExample"
	}
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	n := cfg.Count
	if n <= 0 {
		n = min(len(msgs), 20000)
	}
	now := cfg.Now
	if now.IsZero() {
		now = time.Now()
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x77f1))
	total := 0
	for _, e := range mix {
		total += e.Weight
	}
	reqs := make([]Request, n)
	for i := range reqs {
		pick := rng.IntN(total)
		var k Kind
		for _, e := range mix {
			if pick < e.Weight {
				k = e.Kind
				break
			}
			pick -= e.Weight
		}
		text := msgs[rng.IntN(len(msgs))]
		quoted := msgs[rng.IntN(len(msgs))]
		r, err := buildOne(i, k, text, quoted, prefix, now, rng)
		if err != nil {
			return nil, err
		}
		reqs[i] = r
	}
	return reqs, nil
}

// buildOne encodes request number i of kind k carrying text.
func buildOne(i int, k Kind, text, quoted, prefix string, now time.Time, rng *rand.Rand) (Request, error) {
	sendMs := now.UnixMilli() + int64(i)
	sendID := "u" + strconv.Itoa(100000+rng.IntN(900000))
	peer := "u" + strconv.Itoa(100000+rng.IntN(900000))
	group := "g" + strconv.Itoa(10000000+rng.IntN(90000000))
	opID := strconv.FormatInt(sendMs, 10) + "-" + strconv.Itoa(i)
	session := int32(sessionGroup)
	if k.Command == CmdSendSingle || (k.Command == CmdModify && i%2 == 0) {
		session = sessionSingle
	}
	var elem any
	var atUsers []string
	switch k.ContentType {
	case ContentText:
		elem = TextElem{Content: text}
	case ContentAtText:
		atUsers = []string{peer}
		elem = AtTextElem{
			Text:        "@" + peer + " " + text,
			AtUserList:  atUsers,
			AtUsersInfo: []AtInfo{{AtUserID: peer, GroupNickname: "member " + peer[1:]}},
		}
	case ContentQuote:
		inner, err := json.Marshal(TextElem{Content: quoted})
		if err != nil {
			return Request{}, fmt.Errorf("loadgen: cannot encode quoted message: %w", err)
		}
		elem = QuoteElem{Text: text, QuoteMessage: QuotedMsg{
			ClientMsgID: fmt.Sprintf("%032x", rng.Uint64()), ServerMsgID: fmt.Sprintf("%032x", rng.Uint64()),
			CreateTime: sendMs - 60000, SendTime: sendMs - 60000, SessionType: session, SendID: peer,
			MsgFrom: 100, ContentType: ContentText, SenderPlatformID: 2, SenderNickname: "Peer",
			Content: string(inner), Seq: int64(1 + rng.IntN(5000)), IsRead: true, Status: 2,
			TextElem: &TextElem{Content: quoted},
		}}
	default:
		return Request{}, fmt.Errorf("loadgen: BUG: no element shape for content type %d", k.ContentType)
	}
	content, err := json.Marshal(elem)
	if err != nil {
		return Request{}, fmt.Errorf("loadgen: cannot encode element: %w", err)
	}
	common := CommonCallbackReq{
		SendID:           sendID,
		CallbackCommand:  k.Command,
		ServerMsgID:      fmt.Sprintf("%032x", rng.Uint64()),
		ClientMsgID:      fmt.Sprintf("%032x", rng.Uint64()),
		OperationID:      opID,
		SenderPlatformID: int32(1 + rng.IntN(5)),
		SenderNickname:   "user" + sendID[1:],
		SessionType:      session,
		MsgFrom:          100,
		ContentType:      k.ContentType,
		Status:           1,
		SendTime:         sendMs,
		CreateTime:       sendMs - int64(rng.IntN(800)),
		Content:          string(content),
		AtUserList:       atUsers,
	}
	var body any = common
	switch k.Command {
	case CmdSendSingle:
		body = SingleMsgReq{CommonCallbackReq: common, RecvID: peer}
	case CmdSendGroup:
		body = GroupMsgReq{CommonCallbackReq: common, GroupID: group}
	}
	var buf bytes.Buffer
	// json.Encoder as in openimsdk/tools HTTPClient.Post: HTML-escaped,
	// trailing newline, invalid UTF-8 replaced by U+FFFD.
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		return Request{}, fmt.Errorf("loadgen: cannot encode request: %w", err)
	}
	return Request{Kind: k.Name, Path: prefix + "/" + k.Command, OperationID: opID, Body: buf.Bytes()}, nil
}

// KindCounts returns how many of reqs are of each kind, by kind name.
func KindCounts(reqs []Request) map[string]int {
	m := map[string]int{}
	for _, r := range reqs {
		m[r.Kind]++
	}
	return m
}
