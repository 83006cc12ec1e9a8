// wordfilter operator console. Plain JavaScript, no library, no build step.
// Every text shown comes from users or dictionary files and may be hostile:
// the DOM is built with textContent and createElement only, never innerHTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const TOKEN_KEY = "wordfilter-admin-token";
  const DECISIONS = ["pass", "review", "mask", "block", "error"];
  const gated = document.body.dataset.gate === "1";

  // --- HTTP ---------------------------------------------------------------
  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }
  function setToken(t) {
    try { sessionStorage.setItem(TOKEN_KEY, t); } catch (e) { /* private mode: kept nowhere */ }
  }
  // api sends a request to this server and returns {status, data}; data is
  // the decoded JSON answer, or null. A network error gives status 0.
  async function api(method, path, body, tok) {
    const headers = {};
    const t = tok !== undefined ? tok : token();
    if (t) headers["Authorization"] = "Bearer " + t;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let resp;
    try {
      resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store", credentials: "omit" });
    } catch (e) {
      return { status: 0, data: { error: "cannot reach the server: " + e.message } };
    }
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    return { status: resp.status, data };
  }
  function errorText(r, what) {
    if (r.status === 413) return what + ": the text is over the server's body limit.";
    if (r.status === 401) return what + ": the admin token is missing or wrong.";
    if (r.status === 403) return what + ": " + ((r.data && r.data.error) || "forbidden") + ".";
    const detail = r.data && r.data.error ? r.data.error : "HTTP " + r.status;
    return what + " failed: " + detail;
  }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function say(node, text, ok) { node.textContent = text || ""; node.classList.toggle("ok", !!ok); }

  // langOf guesses a lang attribute for text, so that Han characters get
  // the glyphs of their language.
  function langOf(text) {
    if (/[\u3040-\u30ff]/.test(text)) return "ja";
    if (/[\uac00-\ud7af]/.test(text)) return "ko";
    if (/[\u3400-\u9fff]/.test(text)) return "zh";
    return "und";
  }

  // --- views --------------------------------------------------------------
  const views = { try: $("view-try"), dict: $("view-dict"), traffic: $("view-traffic") };
  let current = "";
  function show(name) {
    if (!views[name]) name = "try";
    current = name;
    for (const [k, v] of Object.entries(views)) {
      v.hidden = k !== name;
      const link = $("nav-" + k);
      if (k === name) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
    }
    if (name === "dict") loadDict();
    if (name === "traffic") loadTraffic();
  }
  window.addEventListener("hashchange", () => { if (!gated || token()) show(location.hash.slice(1)); });

  // --- gate: the admin token ----------------------------------------------
  let afterToken = null;
  function askToken(why, then) {
    $("gate").hidden = false;
    say($("gate-msg"), why || "");
    afterToken = then;
    $("gate-token").focus();
  }
  $("gate-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const t = $("gate-token").value.trim();
    const r = await api("GET", "/v1/console/reloads", undefined, t);
    if (r.status !== 200) { say($("gate-msg"), errorText(r, "Opening the console")); return; }
    setToken(t);
    $("gate-token").value = "";
    $("gate").hidden = true;
    const then = afterToken; afterToken = null;
    if (then) then();
  });

  // --- Try ----------------------------------------------------------------
  const enc = new TextEncoder(), dec = new TextDecoder();
  async function check(text) {
    const btn = $("try-submit");
    btn.disabled = true;
    say($("try-msg"), "");
    const r = await api("POST", "/v1/filter", { text: text, explain: true });
    btn.disabled = false;
    if (r.status !== 200 || !r.data) { $("try-result").hidden = true; say($("try-msg"), errorText(r, "Checking the text")); return; }
    renderResult(text, r.data);
  }
  function renderResult(text, res) {
    const lang = langOf(text);
    const decision = String(res.decision || "");
    const d = $("try-decision");
    d.textContent = decision;
    d.className = "decision " + decision;
    $("try-version").textContent = res.version || "";
    $("try-incomplete").hidden = res.incomplete !== true;
    $("try-filtered").textContent = res.text;
    $("try-filtered").lang = lang;
    const marked = $("try-marked");
    clear(marked);
    marked.lang = lang;
    // start and end are byte offsets into the UTF-8 text.
    const bytes = enc.encode(text);
    const piece = (a, b) => dec.decode(bytes.subarray(a, b));
    const matches = (res.matches || []).slice().sort((a, b) => a.start - b.start || b.end - a.end);
    let pos = 0, last = null;
    for (const m of matches) {
      const via = Array.isArray(m.via) && m.via.length ? " · via " + m.via.join(", ") : "";
      const title = m.category + " · " + m.action + via;
      if (m.end <= pos && last) { // inside the previous mark
        if (!last.title.split("; ").includes(title)) last.title += "; " + title;
        continue;
      }
      const start = Math.max(m.start, pos);
      if (start > pos) marked.appendChild(document.createTextNode(piece(pos, start)));
      last = el("mark", piece(start, m.end), m.action);
      last.title = title;
      marked.appendChild(last);
      pos = m.end;
    }
    if (pos < bytes.length) marked.appendChild(document.createTextNode(piece(pos, bytes.length)));
    const body = $("try-table").tBodies[0];
    clear(body);
    for (const m of res.matches || []) {
      const tr = el("tr");
      const word = el("td", m.word); word.lang = langOf(String(m.word));
      tr.append(word, el("td", m.category), el("td", m.action),
        el("td", Array.isArray(m.via) ? m.via.join(", ") : ""),
        el("td", m.source || ""), el("td", m.start + "–" + m.end, "num"));
      body.appendChild(tr);
    }
    if (!(res.matches || []).length) {
      const tr = el("tr"); const td = el("td", "no match", "small"); td.colSpan = 6; tr.appendChild(td); body.appendChild(tr);
    }
    $("try-result").hidden = false;
  }
  function submitTry() {
    const text = $("try-text").value;
    $("try-link").href = "/ui/?text=" + encodeURIComponent(text);
    check(text);
  }
  $("try-form").addEventListener("submit", (ev) => { ev.preventDefault(); submitTry(); });
  $("try-text").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); submitTry(); }
  });
  $("try-text").addEventListener("input", () => { $("try-text").lang = langOf($("try-text").value); });

  // --- Dictionary ---------------------------------------------------------
  function fmtTime(iso) {
    const t = new Date(iso);
    return isNaN(t) ? String(iso) : t.toLocaleString() + " (" + iso + ")";
  }
  function fmtDuration(s) {
    if (typeof s !== "number") return "";
    return s < 1 ? (s * 1000).toFixed(1) + " ms" : s.toFixed(2) + " s";
  }
  async function loadDict() {
    const [d, rl] = await Promise.all([api("GET", "/v1/dict"), api("GET", "/v1/console/reloads")]);
    const info = $("dict-info");
    clear(info);
    if (d.status !== 200 || !d.data) {
      say($("dict-msg"), errorText(d, "Reading the dictionary"));
    } else {
      say($("dict-msg"), "");
      const x = d.data;
      for (const [k, v] of [["version", x.version], ["source", x.source], ["loaded at", fmtTime(x.loadedAt)],
        ["words", x.words], ["allow phrases", x.allow], ["last error", x.lastError || "none"]]) {
        info.append(el("dt", k), el("dd", v));
      }
      const st = x.settings;
      if (st) {
        const over = Object.entries(st.categories || {}).sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([c, v]) => c + ": " + v.readings + ", variant " + v.variantAction + ", pinyin " + v.pinyinAction);
        for (const [k, v] of [["readings", st.readings], ["variant action", st.variantAction],
          ["pinyin action", st.pinyinAction], ["variant forms", st.variants],
          ["category settings", over.length ? over.join("; ") : "none"]]) {
          info.append(el("dt", k), el("dd", v));
        }
      }
      const body = $("dict-cats").tBodies[0];
      clear(body);
      const cats = Object.entries(x.categories || {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      for (const [c, n] of cats) { const tr = el("tr"); tr.append(el("td", c), el("td", n, "num")); body.appendChild(tr); }
    }
    const body = $("dict-reloads").tBodies[0];
    clear(body);
    if (rl.status === 401 && !gated) {
      const tr = el("tr"); const td = el("td", "The admin token is needed to see the reloads.", "small"); td.colSpan = 5;
      tr.appendChild(td); body.appendChild(tr);
    } else if (rl.status === 200 && rl.data) {
      for (const r of rl.data.reloads || []) {
        const tr = el("tr");
        const outcome = el("td", r.outcome + (r.errors && r.errors.length ? ": " + r.errors.join("; ") : ""));
        tr.append(el("td", fmtTime(r.time)), el("td", r.trigger), el("td", r.version), outcome,
          el("td", fmtDuration(r.durationSeconds), "num"));
        body.appendChild(tr);
      }
    }
  }
  async function reload() {
    const btn = $("dict-reload");
    btn.disabled = true;
    say($("dict-reload-msg"), "reloading…", true);
    const errs = $("dict-errors");
    clear(errs);
    const r = await api("POST", "/v1/dict/reload");
    btn.disabled = false;
    if (r.status === 200 && r.data) {
      say($("dict-reload-msg"), "Reloaded: version " + r.data.version, true);
    } else if (r.status === 422 && r.data) {
      say($("dict-reload-msg"), "Reload refused; the dictionary in use stays:");
      for (const line of r.data.errors || []) errs.appendChild(el("li", line));
    } else if (r.status === 401) {
      say($("dict-reload-msg"), "");
      askToken("Reloading needs the admin token.", reload);
      return;
    } else {
      say($("dict-reload-msg"), errorText(r, "Reloading"));
    }
    loadDict();
  }
  $("dict-reload").addEventListener("click", reload);

  // --- Traffic ------------------------------------------------------------
  const W = 640, H = 180, ML = 44, MR = 8, MT = 8, MB = 20;
  function svgEl(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }
  function fmtNum(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2); }
  // lineChart draws series (each {name, values: numbers or null}) over the
  // window as polylines; a null leaves a gap.
  function lineChart(box, label, series, windowSeconds) {
    clear(box);
    const n = Math.max(...series.map((s) => s.values.length), 1);
    const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null))));
    const svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": label });
    const x = (i) => ML + (n <= 1 ? 0 : (i * (W - ML - MR)) / (n - 1));
    const y = (v) => MT + (H - MT - MB) * (1 - v / max);
    for (const f of [0, 0.5, 1]) {
      svg.appendChild(svgEl("line", { x1: ML, x2: W - MR, y1: y(max * f), y2: y(max * f), class: "grid" }));
      svg.appendChild(svgEl("text", { x: ML - 4, y: y(max * f) + 4, "text-anchor": "end" }, fmtNum(max * f)));
    }
    const mins = windowSeconds / 60;
    for (const f of [0, 1 / 3, 2 / 3, 1]) {
      const ago = Math.round(mins * (1 - f));
      svg.appendChild(svgEl("text", { x: ML + f * (W - ML - MR), y: H - 4, "text-anchor": f === 0 ? "start" : f === 1 ? "end" : "middle" },
        ago === 0 ? "now" : "−" + ago + " min"));
    }
    for (const s of series) {
      let pts = [];
      const flush = () => {
        if (pts.length === 1) svg.appendChild(svgEl("circle", { cx: pts[0][0], cy: pts[0][1], r: 2, class: "s-" + s.name }));
        else if (pts.length > 1) svg.appendChild(svgEl("polyline", { points: pts.map((p) => p.join(",")).join(" "), class: "s-" + s.name }));
        pts = [];
      };
      s.values.forEach((v, i) => { if (v === null || v === undefined) flush(); else pts.push([x(i).toFixed(1), y(v).toFixed(1)]); });
      flush();
    }
    box.appendChild(svg);
    const legend = el("div", null, "legend");
    for (const s of series) legend.appendChild(el("span", s.label || s.name, "s-" + s.name));
    box.appendChild(legend);
  }
  function barChart(box, label, rows) {
    clear(box);
    if (!rows.length) { box.appendChild(el("p", "No match in the last 15 minutes.", "small")); return; }
    const rowH = 22, h = rows.length * rowH + 4, labelW = 150;
    const max = Math.max(...rows.map((r) => r.matches), 1);
    const svg = svgEl("svg", { viewBox: "0 0 " + W + " " + h, role: "img", "aria-label": label });
    rows.forEach((r, i) => {
      const yy = 2 + i * rowH;
      const t = svgEl("text", { x: labelW - 6, y: yy + 15, "text-anchor": "end" }, r.category);
      t.setAttribute("lang", langOf(String(r.category)));
      svg.appendChild(t);
      const w = Math.max(1, ((W - labelW - 60) * r.matches) / max);
      svg.appendChild(svgEl("rect", { x: labelW, y: yy + 3, width: w.toFixed(1), height: rowH - 6, class: "bar" }));
      svg.appendChild(svgEl("text", { x: labelW + w + 6, y: yy + 15 }, r.matches));
    });
    box.appendChild(svg);
  }
  let trafficTimer = null;
  async function loadTraffic() {
    clearTimeout(trafficTimer);
    if (current !== "traffic") return;
    const r = await api("GET", "/v1/console/traffic?step=10");
    if (r.status !== 200 || !r.data) {
      say($("traffic-msg"), errorText(r, "Reading the traffic"));
    } else {
      say($("traffic-msg"), "");
      const t = r.data;
      lineChart($("chart-rps"), "requests per second by decision",
        DECISIONS.map((d) => ({ name: d, values: (t.decisions && t.decisions[d]) || [] })), t.seconds);
      const ms = (a) => (a || []).map((v) => (v === null ? null : v * 1000));
      lineChart($("chart-latency"), "latency p50 and p99 in milliseconds",
        [{ name: "p50", values: ms(t.p50) }, { name: "p99", values: ms(t.p99) }], t.seconds);
      barChart($("chart-cats"), "categories matched most", t.categories || []);
    }
    if (current === "traffic") trafficTimer = setTimeout(loadTraffic, 5000);
  }
  document.addEventListener("visibilitychange", () => { if (!document.hidden && current === "traffic") loadTraffic(); });

  // --- start --------------------------------------------------------------
  function start() {
    document.querySelector("header nav").hidden = false;
    const q = new URLSearchParams(location.search).get("text");
    show(location.hash.slice(1) || "try");
    if (q !== null) {
      $("try-text").value = q;
      $("try-text").lang = langOf(q);
      if (current === "try") submitTry();
    }
  }
  if (gated) {
    for (const v of Object.values(views)) v.hidden = true;
    document.querySelector("header nav").hidden = true;
    if (token()) {
      api("GET", "/v1/console/reloads").then((r) => {
        if (r.status === 200) start(); else askToken(errorText(r, "Opening the console"), start);
      });
    } else {
      api("GET", "/v1/console/reloads", undefined, "").then((r) => {
        if (r.status === 403) { $("gate-notoken").hidden = false; $("gate-form").hidden = true; $("gate").hidden = false; }
        else askToken("", start);
      });
    }
  } else {
    start();
  }
})();
