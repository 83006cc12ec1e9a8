package server

import (
	"strings"
	"unicode/utf8"
)

// Kinds of hostile content element, the values of the kind label of
// wordfilter_hostile_content_total. Each is refused by every message
// callback: the filter could not be sure to judge what a receiver shows.
const (
	// hostileDuplicateKey: an object of the element repeats a key.
	// Receivers take the last value (encoding/json and JSON.parse alike).
	hostileDuplicateKey = "duplicate_key"
	// hostileCaseVariant: a key equal to one of the type's text keys but
	// for case ("Content", "CONTENT", "nic\u212Aname" with a Kelvin sign):
	// encoding/json gives it to the text field, JSON.parse does not.
	hostileCaseVariant = "case_variant"
	// hostileWrongType: a text key holding something other than a string
	// (a JavaScript receiver may still print an array of strings).
	hostileWrongType = "wrong_type"
	// hostileInvalidUTF8: a text holding bytes that are not UTF-8, which
	// receivers decode in different ways.
	hostileInvalidUTF8 = "invalid_utf8"
	// hostileTooDeep: quoted or forwarded messages nested deeper than
	// maxMsgDepth.
	hostileTooDeep = "too_deep"
)

// hostileKinds lists every kind, for the metrics.
var hostileKinds = []string{hostileDuplicateKey, hostileCaseVariant, hostileWrongType, hostileInvalidUTF8, hostileTooDeep}

// maxMsgDepth is how deep quoted and forwarded messages may nest inside an
// element (OpenIM's SDK flattens a quote of a quote into text, so real
// messages nest one or two levels).
const maxMsgDepth = 8

// keyKind says how a key of an element holds human text.
type keyKind uint8

const (
	kText     keyKind = iota + 1 // a string of human text
	kTextList                    // an array of strings of human text
	kObjList                     // an array of objects read with the key's schema
	kObj                         // an object read with the key's schema
	kMsg                         // a quoted message (an SDK MsgStruct object)
	kMsgList                     // an array of forwarded messages
	kElemJSON                    // a string holding an element's JSON (a nested message's content)
)

// schemaKey is one key of an element that holds human text, directly or
// below it.
type schemaKey struct {
	name string
	kind keyKind
	sub  *schema // for kObj and kObjList
}

// schema lists the keys of one kind of JSON object that hold human text
// (docs/openim.md, "Content shapes by content type", and the SDK's
// structs). The tables below are built once and
// never changed.
type schema struct {
	keys []schemaKey
}

// find returns the key named exactly name, or nil; variant tells that a
// key differs from name only by case as encoding/json folds it.
func (sc *schema) find(name string) (k *schemaKey, variant bool) {
	for i := range sc.keys {
		if sc.keys[i].name == name {
			return &sc.keys[i], false
		}
	}
	for i := range sc.keys {
		if equalFoldKey(name, sc.keys[i].name) {
			return nil, true
		}
	}
	return nil, false
}

// equalFoldKey reports whether encoding/json would give a member named key
// to a struct field named field: equal under Unicode simple case folding
// (so U+212A KELVIN SIGN is k and U+017F LONG S is s).
func equalFoldKey(key, field string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return strings.EqualFold(key, field)
		}
	}
	if len(key) != len(field) {
		return false
	}
	for i := 0; i < len(key); i++ {
		a, b := key[i], field[i]
		if a != b && lowerASCII(a) != lowerASCII(b) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

var (
	atInfoSchema = &schema{keys: []schemaKey{{name: "groupNickname", kind: kText}}}

	// anyElemSchema reads the element of a nested message whatever its
	// content type claims: the nested contentType is written by the
	// sender, and a receiver shows the element it names.
	anyElemSchema = &schema{keys: []schemaKey{
		{name: "content", kind: kText}, {name: "text", kind: kText}, {name: "fileName", kind: kText},
		{name: "title", kind: kText}, {name: "nickname", kind: kText}, {name: "description", kind: kText},
		{name: "abstractList", kind: kTextList}, {name: "atUsersInfo", kind: kObjList, sub: atInfoSchema},
		{name: "quoteMessage", kind: kMsg}, {name: "multiMessage", kind: kMsgList},
	}}

	// msgSchema reads a quoted or forwarded message (the SDK's MsgStruct):
	// its element is both in content (JSON text) and in the object of its
	// type.
	msgSchema = &schema{keys: []schemaKey{
		{name: "content", kind: kElemJSON}, {name: "senderNickname", kind: kText},
		{name: "textElem", kind: kObj, sub: anyElemSchema}, {name: "atTextElem", kind: kObj, sub: anyElemSchema},
		{name: "quoteElem", kind: kObj, sub: anyElemSchema}, {name: "mergeElem", kind: kObj, sub: anyElemSchema},
		{name: "cardElem", kind: kObj, sub: anyElemSchema}, {name: "fileElem", kind: kObj, sub: anyElemSchema},
		{name: "locationElem", kind: kObj, sub: anyElemSchema}, {name: "customElem", kind: kObj, sub: anyElemSchema},
		{name: "advancedTextElem", kind: kObj, sub: anyElemSchema}, {name: "markdownTextElem", kind: kObj, sub: anyElemSchema},
	}}

	textSchema     = &schema{keys: []schemaKey{{name: "content", kind: kText}}}
	fileSchema     = &schema{keys: []schemaKey{{name: "fileName", kind: kText}}}
	atTextSchema   = &schema{keys: []schemaKey{{name: "text", kind: kText}, {name: "atUsersInfo", kind: kObjList, sub: atInfoSchema}, {name: "quoteMessage", kind: kMsg}}}
	mergerSchema   = &schema{keys: []schemaKey{{name: "title", kind: kText}, {name: "abstractList", kind: kTextList}, {name: "multiMessage", kind: kMsgList}}}
	cardSchema     = &schema{keys: []schemaKey{{name: "nickname", kind: kText}}}
	descSchema     = &schema{keys: []schemaKey{{name: "description", kind: kText}}}
	quoteSchema    = &schema{keys: []schemaKey{{name: "text", kind: kText}, {name: "quoteMessage", kind: kMsg}}}
	advancedSchema = &schema{keys: []schemaKey{{name: "text", kind: kText}}}
)

// elementSchema returns the schema of a content type's element
// (docs/openim.md, content shapes), or nil for a type that carries no human text.
func elementSchema(contentType int32) *schema {
	switch contentType {
	case 101, 118: // Text, MarkdownText
		return textSchema
	case 105: // File
		return fileSchema
	case 106: // AtText
		return atTextSchema
	case 107: // Merger
		return mergerSchema
	case 108: // Card
		return cardSchema
	case 109, 110, 119, 120: // Location; Custom and its variants
		return descSchema
	case 114: // Quote
		return quoteSchema
	case 117: // AdvancedText
		return advancedSchema
	}
	return nil
}

// elemReader reads one element for a call: it judges every human text and
// stops at the first hostile finding. The texts of the top level (not
// strict) may be masked in place later; the texts of quoted and forwarded
// messages (strict) can only refuse, since they were judged when first
// sent and are not rewritten here.
type elemReader struct {
	c       *call
	hostile string   // the first hostile kind found, or ""
	keys    []string // keys of the objects being read, for duplicates
}

// object reads the object at r.i with sc. It reports false on a syntax
// error; a hostile finding stops the reading with true.
func (e *elemReader) object(r *jsonReader, sc *schema, strict bool, depth int) bool {
	if r.peek() != '{' {
		return false
	}
	r.i++
	mark := len(e.keys)
	defer func() { e.keys = e.keys[:mark] }()
	var set map[string]struct{} // this object's keys, once there are many
	if r.peek() == '}' {
		r.i++
		return true
	}
	for {
		_, _, key, _, ok := r.str()
		if !ok || r.peek() != ':' {
			return false
		}
		r.i++
		if e.seen(key, mark, &set) {
			e.flag(hostileDuplicateKey)
			return true
		}
		k, variant := sc.find(key)
		switch {
		case variant:
			e.flag(hostileCaseVariant)
			return true
		case k == nil:
			if !r.skip() {
				return false
			}
		default:
			if !e.value(r, k, strict, depth) {
				return false
			}
			if e.hostile != "" {
				return true
			}
		}
		if more, ok := r.more('}'); !more {
			return ok
		}
	}
}

// linearKeys is how many keys of one object seen compares one by one;
// beyond it they are indexed, so that an object of a hundred thousand keys
// costs linear time, not quadratic.
const linearKeys = 16

// seen records key among the keys of the object whose keys start at mark
// (indexed in *set once they are more than linearKeys), and reports
// whether it was there already.
func (e *elemReader) seen(key string, mark int, set *map[string]struct{}) bool {
	if *set != nil {
		if _, ok := (*set)[key]; ok {
			return true
		}
		(*set)[key] = struct{}{}
		return false
	}
	for _, k := range e.keys[mark:] {
		if k == key {
			return true
		}
	}
	// Keys that share the reader's memory stay valid while it is read;
	// those decoded into its buffer were copied by str.
	e.keys = append(e.keys, key)
	if len(e.keys)-mark > linearKeys {
		*set = make(map[string]struct{}, 2*linearKeys)
		for _, k := range e.keys[mark:] {
			(*set)[k] = struct{}{}
		}
	}
	return false
}

func (e *elemReader) flag(kind string) {
	if e.hostile == "" {
		e.hostile = kind
	}
}

// value reads the value of key k.
func (e *elemReader) value(r *jsonReader, k *schemaKey, strict bool, depth int) bool {
	if r.peek() == 'n' { // null: no text
		return r.lit("null")
	}
	switch k.kind {
	case kText:
		return e.text(r, strict)
	case kTextList, kObjList, kMsgList:
		if r.peek() != '[' {
			return e.wrongType(r)
		}
		r.i++
		if r.peek() == ']' {
			r.i++
			return true
		}
		for {
			var ok bool
			switch {
			case r.peek() == 'n':
				ok = r.lit("null")
			case k.kind == kTextList:
				ok = e.text(r, strict)
			case k.kind == kObjList:
				ok = e.obj(r, k.sub, strict, depth)
			default:
				ok = e.msg(r, depth)
			}
			if !ok {
				return false
			}
			if e.hostile != "" {
				return true
			}
			if more, ok := r.more(']'); !more {
				return ok
			}
		}
	case kObj:
		return e.obj(r, k.sub, strict, depth)
	case kMsg:
		return e.msg(r, depth)
	case kElemJSON:
		if r.peek() != '"' {
			return e.wrongType(r)
		}
		_, _, s, invalid, ok := r.str()
		if !ok {
			return false
		}
		if invalid {
			e.flag(hostileInvalidUTF8)
			return true
		}
		e.nested(s, depth)
		return true
	}
	return r.skip()
}

// obj reads an object value with sc (a wrong type is hostile).
func (e *elemReader) obj(r *jsonReader, sc *schema, strict bool, depth int) bool {
	if r.peek() != '{' {
		return e.wrongType(r)
	}
	return e.object(r, sc, strict, depth)
}

// msg reads a quoted or forwarded message: strict, one level deeper.
func (e *elemReader) msg(r *jsonReader, depth int) bool {
	if depth+1 > maxMsgDepth {
		e.flag(hostileTooDeep)
		return true
	}
	return e.obj(r, msgSchema, true, depth+1)
}

// nested judges the element JSON held by a nested message's content: an
// object is read with anyElemSchema; anything else is judged as plain text.
func (e *elemReader) nested(s string, depth int) {
	var r jsonReader
	r.reset(s)
	r.buf = e.c.jsonBuf[:0]
	if r.peek() == '{' && e.object(&r, anyElemSchema, true, depth) && e.hostile == "" && r.atEnd() {
		e.c.jsonBuf = r.buf
		return
	}
	e.c.jsonBuf = r.buf
	if e.hostile == "" {
		e.c.judge(s, true, -1, -1)
	}
}

// text reads a string of human text and judges it.
func (e *elemReader) text(r *jsonReader, strict bool) bool {
	if r.peek() != '"' {
		return e.wrongType(r)
	}
	start, end, s, invalid, ok := r.str()
	if !ok {
		return false
	}
	if invalid {
		e.flag(hostileInvalidUTF8)
		return true
	}
	e.c.judge(s, strict, start, end)
	return true
}

// wrongType flags a text key holding another type, once the value is
// known to be valid JSON (a syntax error wins: the element is then plain
// text).
func (e *elemReader) wrongType(r *jsonReader) bool {
	if !r.skip() {
		return false
	}
	e.flag(hostileWrongType)
	return true
}
