package server

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/wordfilter/wordfilter/filter"
)

// decision labels; decisionError counts requests that could not be read.
const (
	decisionError = int(filter.Block) + 1
	numDecisions  = decisionError + 1
)

func decisionLabel(i int) string {
	if i == decisionError {
		return "error"
	}
	return filter.Action(i).String()
}

// latencyBuckets are the upper bounds (seconds) of the latency histogram:
// a callback is expected well under a millisecond.
var latencyBuckets = []float64{
	0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
}

// routeMetrics are the metrics of one command or REST route.
// Both also feed the console's traffic ring (traffic.go).
type routeMetrics struct {
	latency  latencyRecorder
	requests [numDecisions]decisionCounter
	// incomplete counts the requests with a text where a work limit
	// stopped a variant reading (filter.Result.Incomplete).
	incomplete *metrics.Counter
}

// serverMetrics is the per-Server metrics.Set and its metrics; nothing is
// registered globally.
type serverMetrics struct {
	set          *metrics.Set
	routes       map[string]*routeMetrics // fixed after newServerMetrics
	reloads      *metrics.Counter
	reloadErrors *metrics.Counter
	readErrors   *metrics.Counter
	refusedConns *metrics.Counter
	// unavailable counts the callbacks the service could not judge, by
	// reason (unavailableReasons); hostile counts the message callbacks
	// refused for a hostile content element, by kind (hostileKinds).
	unavailable map[string]*metrics.Counter
	hostile     map[string]*metrics.Counter
	// logDropped counts refusal log lines left out by the rate limit.
	logDropped *metrics.Counter

	categories sync.Map // category -> *categoryMatches
	// traffic is the console's ring of the last 15 minutes, on clock
	// (Server.Handler observes each request's start).
	traffic *traffic
	clock   requestClock

	infoMu      sync.Mutex
	infoVersion string // version label of the exposed info gauge
}

// otherCommand is the label of callbacks with an unknown command.
const otherCommand = "other"

func newServerMetrics(src Source) *serverMetrics {
	m := &serverMetrics{set: metrics.NewSet(), routes: map[string]*routeMetrics{}}
	m.traffic = newTraffic(m.clock.now)
	names := []string{otherCommand, "filter"}
	for cmd := range callbackHandlers() {
		names = append(names, cmd)
	}
	for _, name := range names {
		r := &routeMetrics{
			latency: latencyRecorder{h: m.set.NewPrometheusHistogramExt(
				`wordfilter_request_duration_seconds{command="`+name+`"}`, latencyBuckets), t: m.traffic},
		}
		r.incomplete = m.set.NewCounter(`wordfilter_incomplete_total{command="` + name + `"}`)
		for d := range r.requests {
			r.requests[d] = decisionCounter{c: m.set.NewCounter(
				`wordfilter_requests_total{command="` + name + `",decision="` + decisionLabel(d) + `"}`), t: m.traffic, d: d}
		}
		m.routes[name] = r
	}
	m.reloads = m.set.NewCounter("wordfilter_dictionary_reloads_total")
	m.reloadErrors = m.set.NewCounter("wordfilter_dictionary_reload_errors_total")
	m.readErrors = m.set.NewCounter("wordfilter_bad_requests_total")
	m.refusedConns = m.set.NewCounter("wordfilter_refused_connections_total")
	m.unavailable = map[string]*metrics.Counter{}
	for _, r := range unavailableReasons {
		m.unavailable[r] = m.set.NewCounter(`wordfilter_unavailable_total{reason="` + r + `"}`)
	}
	m.hostile = map[string]*metrics.Counter{}
	for _, k := range hostileKinds {
		m.hostile[k] = m.set.NewCounter(`wordfilter_hostile_content_total{kind="` + k + `"}`)
	}
	m.logDropped = m.set.NewCounter("wordfilter_log_lines_dropped_total")
	m.set.NewGauge("wordfilter_dictionary_words", func() float64 {
		if d := src.Current(); d != nil {
			return float64(d.Matcher.Len())
		}
		return 0
	})
	m.set.NewGauge("wordfilter_dictionary_allow_phrases", func() float64 {
		if d := src.Current(); d != nil {
			return float64(d.Matcher.AllowLen())
		}
		return 0
	})
	m.set.NewGauge("wordfilter_dictionary_loaded_timestamp_seconds", func() float64 {
		if d := src.Current(); d != nil {
			return float64(d.LoadedAt.UnixNano()) / 1e9
		}
		return 0
	})
	return m
}

// route returns the metrics of a command, or of "other" for an unknown one.
func (m *serverMetrics) route(name string) *routeMetrics {
	if r, ok := m.routes[name]; ok {
		return r
	}
	return m.routes[otherCommand]
}

// categoryMatches are the match counters of one category, one for each
// set of readings a match may need, made as they are first counted.
type categoryMatches struct {
	label string // the category as a label value
	via   [filter.AllReadings + 1]atomic.Pointer[metrics.Counter]
}

// match counts one match of category that needed the readings via:
// wordfilter_matches_total{category,via}. The via label is "none" for a
// match that folding alone finds, else the readings' names in their fixed
// order joined by commas ("leet", "repeat,leet"), as filter.Readings.String
// writes them: at most 32 values a category, and in practice a handful.
// Every match is counted once, so summing over via gives the matches of a
// category. It allocates only the first time a (category, via) pair is
// seen.
func (m *serverMetrics) match(category string, via filter.Readings) {
	m.traffic.match(category)
	via &= filter.AllReadings
	v, ok := m.categories.Load(category)
	if !ok {
		v, _ = m.categories.LoadOrStore(category, &categoryMatches{label: escapeLabel(category)})
	}
	cm := v.(*categoryMatches)
	c := cm.via[via].Load()
	if c == nil {
		c = m.set.GetOrCreateCounter(`wordfilter_matches_total{category="` + cm.label + `",via="` + via.String() + `"}`)
		cm.via[via].Store(c)
	}
	c.Inc()
}

// setInfo makes the info gauge carry version (called before each scrape).
func (m *serverMetrics) setInfo(version string) {
	m.infoMu.Lock()
	defer m.infoMu.Unlock()
	if version == m.infoVersion {
		return
	}
	if m.infoVersion != "" {
		m.set.UnregisterMetric(infoName(m.infoVersion))
	}
	m.infoVersion = version
	if version != "" {
		m.set.NewGauge(infoName(version), func() float64 { return 1 })
	}
}

func infoName(version string) string {
	return `wordfilter_dictionary_info{version="` + escapeLabel(version) + `"}`
}

// escapeLabel escapes a Prometheus label value.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// metrics answers GET /metrics in the Prometheus text format.
func (s *Server) metrics(ctx *fasthttp.RequestCtx) {
	if !ctx.IsGet() && !ctx.IsHead() {
		s.restError(ctx, fasthttp.StatusMethodNotAllowed, "use GET")
		return
	}
	version := ""
	if d := s.src.Current(); d != nil {
		version = d.Version
	}
	s.met.setInfo(version)
	ctx.SetContentType("text/plain; version=0.0.4; charset=utf-8")
	s.met.set.WritePrometheus(ctx)
	metrics.WriteProcessMetrics(ctx)
}
