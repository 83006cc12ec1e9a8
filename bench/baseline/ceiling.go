package baseline

import (
	"errors"
	"time"

	"github.com/bytedance/sonic"
	"github.com/valyala/fasthttp"
)

// callbackReq is the part of an OpenIM message callback the baselines read.
type callbackReq struct {
	CallbackCommand string `json:"callbackCommand"`
	ContentType     int32  `json:"contentType"`
	Content         string `json:"content"`
}

// textElem holds the human-text keys of the Text, AtText and Quote elements.
type textElem struct {
	Content string `json:"content"`
	Text    string `json:"text"`
}

// ceilingHandler decodes the callback and its content with sonic and
// answers allow.
func ceilingHandler(ctx *fasthttp.RequestCtx) {
	ctx.SetContentType("application/json")
	if ctx.IsGet() {
		switch string(ctx.Path()) {
		case "/healthz", "/readyz":
			ctx.SetBodyString(`{"status":"ok"}`)
			return
		}
	}
	var req callbackReq
	if err := sonic.Unmarshal(ctx.PostBody(), &req); err != nil {
		ctx.SetStatusCode(fasthttp.StatusBadRequest)
		ctx.SetBody(badJSON(err))
		return
	}
	var elem textElem
	if req.Content != "" && req.ContentType < 1000 {
		if err := sonic.UnmarshalString(req.Content, &elem); err != nil {
			ctx.SetStatusCode(fasthttp.StatusBadRequest)
			ctx.SetBody(badJSON(errors.New("content is not an element JSON")))
			return
		}
	}
	ctx.SetBodyString(AllowJSON)
}

// StartCeiling starts the ceiling server on addr (loopback only) and
// returns once it accepts connections.
func StartCeiling(addr string) (*Server, error) {
	ln, err := listenLoopback(addr)
	if err != nil {
		return nil, err
	}
	srv := &fasthttp.Server{
		Handler:      ceilingHandler,
		Name:         "ceiling",
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 5 * time.Second,
		IdleTimeout:  time.Minute,
	}
	return serve(ln, srv.Serve, srv.Shutdown), nil
}
