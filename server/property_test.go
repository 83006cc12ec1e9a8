package server_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wordfilter/wordfilter/dict"
	"github.com/wordfilter/wordfilter/filter"
	"github.com/wordfilter/wordfilter/server"
)

// This file checks the property the message callbacks exist for: whatever
// the server answers, the content a receiver ends up with holds no word the
// dictionary masks or blocks, or the message was refused. Receivers are
// modelled the two ways they decode content (docs/openim.md, content shapes):
// Go's encoding/json into the SDK's structs (keys matched whatever their
// case, last duplicate wins) and JSON.parse (exact keys, last duplicate
// wins), which encoding/json into map[string]any reproduces.

// sdkAtInfo, sdkElem and sdkMsg model openim-sdk-core's sdk_struct types:
// sdkElem is the union of the element structs (each content type's struct
// has a subset of its fields; textFields picks them), sdkMsg the MsgStruct
// of a quoted or forwarded message with its element objects.
type sdkAtInfo struct {
	AtUserID      string `json:"atUserID"`
	GroupNickname string `json:"groupNickname"`
}

type sdkElem struct {
	Content      string      `json:"content"`
	Text         string      `json:"text"`
	FileName     string      `json:"fileName"`
	Title        string      `json:"title"`
	Nickname     string      `json:"nickname"`
	Description  string      `json:"description"`
	AbstractList []string    `json:"abstractList"`
	AtUsersInfo  []sdkAtInfo `json:"atUsersInfo"`
	QuoteMessage *sdkMsg     `json:"quoteMessage"`
	MultiMessage []*sdkMsg   `json:"multiMessage"`
}

type sdkMsg struct {
	ContentType      int32    `json:"contentType"`
	Content          string   `json:"content"`
	SenderNickname   string   `json:"senderNickname"`
	TextElem         *sdkElem `json:"textElem"`
	AtTextElem       *sdkElem `json:"atTextElem"`
	QuoteElem        *sdkElem `json:"quoteElem"`
	MergeElem        *sdkElem `json:"mergeElem"`
	CardElem         *sdkElem `json:"cardElem"`
	FileElem         *sdkElem `json:"fileElem"`
	LocationElem     *sdkElem `json:"locationElem"`
	CustomElem       *sdkElem `json:"customElem"`
	AdvancedTextElem *sdkElem `json:"advancedTextElem"`
	MarkdownTextElem *sdkElem `json:"markdownTextElem"`
}

// typeKeys are the human-text keys of each content type's element at its
// top level (docs/openim.md, content shapes).
var typeKeys = map[int32][]string{
	101: {"content"}, 118: {"content"}, 105: {"fileName"},
	106: {"text", "atUsersInfo", "quoteMessage"}, 107: {"title", "abstractList", "multiMessage"},
	108: {"nickname"}, 109: {"description"}, 110: {"description"}, 119: {"description"}, 120: {"description"},
	114: {"text", "quoteMessage"}, 117: {"text"},
}

// unionKeys are the keys every nested element may show (its content type
// is the sender's to write).
var unionKeys = []string{"content", "text", "fileName", "title", "nickname", "description", "abstractList", "atUsersInfo", "quoteMessage", "multiMessage"}

// receiverTexts returns every text a receiver may show of an element of
// contentType, as both kinds of receiver decode it.
func receiverTexts(contentType int32, content string) []string {
	var out []string
	if typeKeys[contentType] == nil {
		return nil // a type without text: receivers show no text of it
	}
	// A receiver that cannot parse the element may show it as it is.
	var probe any
	if json.Unmarshal([]byte(content), &probe) != nil {
		return []string{content}
	}
	var e sdkElem
	json.Unmarshal([]byte(content), &e) // type errors leave the fields it could fill
	out = elemFields(out, &e, typeKeys[contentType])
	var m any
	json.Unmarshal([]byte(content), &m)
	if obj, ok := m.(map[string]any); ok {
		out = mapFields(out, obj, typeKeys[contentType], 0)
	}
	return out
}

func elemFields(out []string, e *sdkElem, keys []string) []string {
	for _, k := range keys {
		switch k {
		case "content":
			out = append(out, e.Content)
		case "text":
			out = append(out, e.Text)
		case "fileName":
			out = append(out, e.FileName)
		case "title":
			out = append(out, e.Title)
		case "nickname":
			out = append(out, e.Nickname)
		case "description":
			out = append(out, e.Description)
		case "abstractList":
			out = append(out, e.AbstractList...)
		case "atUsersInfo":
			for _, a := range e.AtUsersInfo {
				out = append(out, a.GroupNickname)
			}
		case "quoteMessage":
			out = msgFields(out, e.QuoteMessage, 0)
		case "multiMessage":
			for _, m := range e.MultiMessage {
				out = msgFields(out, m, 0)
			}
		}
	}
	return out
}

func msgFields(out []string, m *sdkMsg, depth int) []string {
	if m == nil || depth > 20 {
		return out
	}
	out = append(out, m.SenderNickname)
	if m.Content != "" {
		var e sdkElem
		if json.Unmarshal([]byte(m.Content), &e) != nil {
			var probe any
			if json.Unmarshal([]byte(m.Content), &probe) != nil {
				out = append(out, m.Content)
			}
		}
		out = elemFields(out, &e, unionKeys)
	}
	for _, e := range []*sdkElem{m.TextElem, m.AtTextElem, m.QuoteElem, m.MergeElem, m.CardElem, m.FileElem,
		m.LocationElem, m.CustomElem, m.AdvancedTextElem, m.MarkdownTextElem} {
		if e != nil {
			out = elemFields(out, e, unionKeys)
		}
	}
	return out
}

// mapFields collects the texts of the JavaScript view: exact keys; a
// script printing a value that is not a string prints the strings in it.
func mapFields(out []string, obj map[string]any, keys []string, depth int) []string {
	if depth > 20 {
		return out
	}
	for _, k := range keys {
		v, ok := obj[k]
		if !ok {
			continue
		}
		switch k {
		case "quoteMessage", "multiMessage":
			for _, msg := range asList(v) {
				if mo, ok := msg.(map[string]any); ok {
					out = mapMsg(out, mo, depth+1)
				}
			}
		case "atUsersInfo":
			for _, a := range asList(v) {
				if ao, ok := a.(map[string]any); ok {
					out = allStrings(out, ao["groupNickname"])
				}
			}
		default:
			out = allStrings(out, v)
		}
	}
	return out
}

func mapMsg(out []string, mo map[string]any, depth int) []string {
	out = allStrings(out, mo["senderNickname"])
	if s, ok := mo["content"].(string); ok {
		var inner any
		if json.Unmarshal([]byte(s), &inner) != nil {
			out = append(out, s)
		} else if io, ok := inner.(map[string]any); ok {
			out = mapFields(out, io, unionKeys, depth)
		}
	}
	for _, k := range []string{"textElem", "atTextElem", "quoteElem", "mergeElem", "cardElem", "fileElem",
		"locationElem", "customElem", "advancedTextElem", "markdownTextElem"} {
		if eo, ok := mo[k].(map[string]any); ok {
			out = mapFields(out, eo, unionKeys, depth)
		}
	}
	return out
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// allStrings appends the strings in v (a string, or the strings of a list
// or object a script would print).
func allStrings(out []string, v any) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, x := range v {
			out = allStrings(out, x)
		}
	case map[string]any:
		for _, x := range v {
			out = allStrings(out, x)
		}
	}
	return out
}

// propertyWords is the dictionary of the property test.
var propertyWords = []filter.Word{
	{Text: "fuck", Category: "profanity", Action: filter.Mask},
	{Text: "shit", Category: "profanity", Action: filter.Mask},
	{Text: "法轮功", Category: "politics", Action: filter.Block},
	{Text: "kill", Category: "violence", Action: filter.Block},
	{Text: "casino", Category: "gambling", Action: filter.Review},
}

// elemGen writes random content elements: the shapes of docs/openim.md section 7 with
// duplicate keys, case variants, escapes, wrong types, nested quotes and
// invalid UTF-8 mixed in.
type elemGen struct {
	r *rand.Rand
	// hostile makes the element crafted (keys repeated or case-varied,
	// wrong types, invalid UTF-8); otherwise it is shaped as the SDK
	// writes it, with only its texts (and escapes) random.
	hostile bool
}

// odds reports true with probability 1/n, and never for a benign element.
func (g *elemGen) odds(n int) bool { return g.hostile && g.r.IntN(n) == 0 }

var genTexts = []string{"hello", "fuck", "what the f.u.c.k", "法轮功", "法 轮 功", "casino night", "shit happens",
	"", "classic", "kill", "skill", "FUCK", "ｆｕｃｋ", "fu\u200bck", "sh1t"}

// text returns a random JSON string literal, escaped in random ways.
func (g *elemGen) text() string {
	s := genTexts[g.r.IntN(len(genTexts))]
	if g.r.IntN(3) == 0 {
		s += " " + genTexts[g.r.IntN(len(genTexts))]
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case g.r.IntN(6) == 0 && r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		if g.odds(60) {
			b.WriteByte(0xff) // invalid UTF-8
		}
	}
	b.WriteByte('"')
	return b.String()
}

// key returns key spelt as written, or as a case variant, with escapes,
// or with a Unicode letter encoding/json folds to it.
func (g *elemGen) key(k string) string {
	if !g.hostile {
		return `"` + k + `"`
	}
	switch g.r.IntN(12) {
	case 0:
		return strconv.Quote(strings.ToUpper(k[:1]) + k[1:])
	case 1:
		return strconv.Quote(strings.ToUpper(k))
	case 2:
		i := g.r.IntN(len(k))
		return `"` + k[:i] + fmt.Sprintf(`\u%04x`, k[i]) + k[i+1:] + `"`
	case 3:
		if strings.ContainsAny(k, "ks") {
			return strconv.Quote(strings.NewReplacer("k", "\u212a", "s", "\u017f").Replace(k))
		}
	}
	return `"` + k + `"`
}

// value returns a random value for a key of the given kind.
func (g *elemGen) value(k string, depth int) string {
	if g.odds(15) { // a wrong type or null
		return []string{`null`, `5`, `["fuck"]`, `{"x":"fuck"}`, `true`}[g.r.IntN(5)]
	}
	switch k {
	case "abstractList":
		return "[" + g.text() + "," + g.text() + "]"
	case "atUsersInfo":
		return `[{"atUserID":"u2",` + g.key("groupNickname") + `:` + g.text() + `}]`
	case "quoteMessage":
		return g.msg(depth + 1)
	case "multiMessage":
		return "[" + g.msg(depth+1) + "," + g.msg(depth+1) + "]"
	}
	return g.text()
}

// msg returns a random quoted message (MsgStruct).
func (g *elemGen) msg(depth int) string {
	if depth > 3 {
		return "null"
	}
	ct := []int32{101, 106, 114, 107}[g.r.IntN(4)]
	inner := g.element(ct, depth)
	members := []string{
		`"contentType":` + strconv.Itoa(int(ct)),
		`"content":` + jsonQuote(inner),
		g.key("senderNickname") + `:` + g.text(),
		g.key([]string{"textElem", "atTextElem", "quoteElem", "mergeElem"}[g.r.IntN(4)]) + `:` + inner,
	}
	g.r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	return "{" + strings.Join(members[:1+g.r.IntN(len(members))], ",") + "}"
}

// element returns a random element of contentType.
func (g *elemGen) element(contentType int32, depth int) string {
	var members []string
	for _, k := range typeKeys[contentType] {
		for n := 1 + b2i(g.odds(8)); n > 0; n-- { // sometimes twice
			members = append(members, g.key(k)+":"+g.value(k, depth))
		}
	}
	members = append(members, `"ex":"fuck"`, `"url":"https://x/fuck"`)
	if g.odds(10) {
		members = append(members, `"ex":"again"`)
	}
	g.r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	s := "{" + strings.Join(members, ",") + "}"
	if depth == 0 && g.odds(6) {
		s = s[:g.r.IntN(len(s))] // truncated: plain text
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonQuote quotes s as a JSON string, keeping bytes that are not UTF-8
// as they are (encoding/json would replace them).
func jsonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// rawMsgBody is msgBody with content quoted by jsonQuote: a body as a
// hostile proxy, not OpenIM, would send it (invalid UTF-8 kept).
func rawMsgBody(cmd string, contentType int32, content string) []byte {
	return []byte(`{"sendID":"u1","callbackCommand":"` + cmd + `","senderNickname":"Ann","sessionType":3,"contentType":` +
		strconv.Itoa(int(contentType)) + `,"content":` + jsonQuote(content) + `,"recvID":"u2","groupID":"g1"}`)
}

// checkDelivered checks the property for one answered callback: it
// returns a description of the violation, or "".
func checkDelivered(m *filter.Matcher, cmd string, modifyTypes map[int32]bool, contentType int32, content string, answer []byte) string {
	var resp openIMResp
	if err := json.Unmarshal(answer, &resp); err != nil {
		return "" // OpenIM fails the message on an answer it cannot read
	}
	if resp.ActionCode == 0 && resp.NextCode == 1 {
		return ""
	}
	delivered := content
	forbidden := filter.Mask
	switch cmd {
	case cmdModify, cmdModifyOld:
		if resp.Content != nil {
			delivered = *resp.Content
		}
	default:
		if modifyTypes[contentType] {
			forbidden = filter.Block // the modify callback masks the rest
		}
	}
	if !utf8.ValidString(delivered) {
		delivered = strings.ToValidUTF8(delivered, "\uFFFD")
	}
	for _, text := range receiverTexts(contentType, delivered) {
		for _, mt := range m.AppendMatches(nil, text) {
			if w := m.Word(mt.Word); w.Action >= forbidden {
				return fmt.Sprintf("a receiver reads %q (word %q, %v) from delivered content %s", text, w.Text, w.Action, delivered)
			}
		}
	}
	return ""
}

func TestNoReceiverReadsAWordTheFilterMustHide(t *testing.T) {
	m := filter.MustCompile(propertyWords, filter.Options{})
	d := &dict.Dictionary{Matcher: m, Version: "p", Source: "test"}
	src := &fakeSource{}
	src.cur.Store(d)
	modifyTypes := []int32{101}
	srv, err := server.New(server.Config{ModifyContentTypes: modifyTypes}, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	modify := map[int32]bool{101: true}
	g := elemGen{r: rand.New(rand.NewPCG(1, 2))}
	types := []int32{101, 105, 106, 107, 108, 109, 110, 114, 117, 118}
	n := 4000
	if testing.Short() {
		n = 500
	}
	refused, masked := 0, 0
	for i := 0; i < n; i++ {
		ct := types[g.r.IntN(len(types))]
		g.hostile = g.r.IntN(3) == 0
		content := g.element(ct, 0)
		for _, cmd := range []string{cmdModify, cmdSingle, cmdGroup} {
			body := rawMsgBody(cmd, ct, content)
			if utf8.ValidString(content) && g.r.IntN(2) == 0 {
				body = msgBody(t, cmd, ct, content)
			}
			ctx := newCtx("POST", "/callbackExample/"+cmd, body)
			srv.Handler(ctx)
			if v := checkDelivered(m, cmd, modify, ct, content, ctx.Response.Body()); v != "" {
				t.Fatalf("%s type %d element %s answered %s:\n%s", cmd, ct, content, ctx.Response.Body(), v)
			}
			if r, _, _, _ := openIMVerdict(ctx.Response.Body()); r {
				refused++
			} else if strings.Contains(string(ctx.Response.Body()), `"content"`) {
				masked++
			}
		}
	}
	// The generator must make both kinds of answer, or the property says
	// nothing.
	if refused < n/4 || masked < n/20 || refused+masked > 3*n-n/4 {
		t.Fatalf("%d of %d answers refused, %d masked: the generator is broken", refused, 3*n, masked)
	}
	t.Logf("%d callbacks: %d refused, %d masked, the rest allowed as sent", 3*n, refused, masked)
}
