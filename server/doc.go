// Package server is the HTTP front of wordfilter: it answers OpenIM's
// webhook callbacks, the REST filtering API and the operations endpoints,
// over fasthttp.
//
// # OpenIM callbacks
//
// Any POST whose path is not a REST or operations route is a callback; the
// command is the last path segment (OpenIM appends it to its configured
// url) and a query string is ignored. With Config.CallbackPrefix set,
// callbacks are answered only under that prefix. Every answer is JSON,
// and OpenIM reads it whatever the HTTP status, which is:
//
//   - 200 for every judged answer (allow, rewrite, refusal) and an unknown
//     command, and for the unavailable refusal (errCode
//     Config.UnavailableCode, or an allow with Config.FailOpen) when no
//     dictionary is loaded, the path is outside Config.CallbackPrefix or a
//     handler panicked;
//   - 400 for a body that is not JSON ({"actionCode":1,"errCode":400,...}),
//     and with the unavailable refusal for JSON that is not the command's
//     shape or a request that could not be read to its end;
//   - 405 for a method other than POST ({"actionCode":1,"errCode":405,...});
//   - 413 with the unavailable refusal for a body over Config.MaxBodySize;
//   - 503 with the unavailable refusal for a connection over
//     Config.MaxConns or Config.MaxConnsPerIP, which is then closed.
//
// docs/openim.md ("What wordfilter answers") explains why nothing that
// could not be judged is answered with an allow.
//
// What each command is answered:
//
//   - callbackBeforeMsgModifyCommand (and callbackMsgModifyCommand): the
//     human-text keys of the content element are masked (101 and 118
//     content, 105 fileName, 106 text and atUsersInfo[].groupNickname, 107
//     title and abstractList, 108 nickname, 109 description, 110/119/120
//     description, 114 and 117 text) and the answer carries content (the
//     element JSON as a string, every other key as sent) only when a text
//     changed; the sender's nickname is masked too. A block refuses.
//   - callbackBeforeSendSingleMsgCommand, callbackBeforeSendGroupMsgCommand:
//     refuse on block, and when a text needs masking in a content type the
//     modify callback does not see (Config.ModifyContentTypes). Content
//     types 1000-5000 (notifications) are always allowed.
//   - Profile and group callbacks (docs/openim.md, section 6) mask
//     nicknames, group names, introductions and remarks, echoing what
//     OpenIM requires
//     (every non-null key of the Ex variants, the five strings of
//     set-group-info, every user of user-register). Texts OpenIM cannot
//     take rewritten (friend and join requests, invitations, the group
//     announcement on set-group-info) refuse when they need masking.
//   - Any other command is allowed.
//
// A refusal is {"actionCode":0,"nextCode":1,"errCode":<BlockCode>,...}
// with an errMsg naming the category, never the word, and is logged once
// (operationID, command, sendID, category, dictionary version).
//
// # REST and operations
//
// POST /v1/filter ({"text":...} or {"texts":[...]}), GET /v1/dict, POST
// /v1/dict/reload (Bearer admin token, or loopback only), GET /healthz,
// GET /readyz (503 before the first dictionary and while draining) and GET
// /metrics (Prometheus text from a per-Server metrics.Set).
//
// # Concurrency and memory
//
// A Server is safe for concurrent use. Each request takes one dictionary
// snapshot from its Source and uses it throughout. Request strings point
// into fasthttp's request buffer and are never retained; per-request state
// is pooled.
package server
