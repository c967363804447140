// detente serve: the web app. It calls only the JSON API (/api/openapi.json documents it) and
// shows the pages the server renders (the same as `detente analyze|forecast|study --html`).
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};

const state = {
  scenario: null,   // name
  view: null,       // ScenarioView
  variant: "",
  edits: new Map(), // key -> Edit
  pending: null,    // timer of the next exploration
  seq: 0,           // the latest exploration asked for
  pinned: null,
  negotiation: null,
  source: null,     // EventSource
};

function showError(body) {
  const m = $("message");
  if (!body) { m.textContent = ""; m.className = ""; return; }
  const lines = [body.error || String(body)];
  for (const p of body.problems || []) {
    const at = p.line ? `${p.file}:${p.line}:${p.column}: ` : (p.file ? `${p.file}: ` : "");
    lines.push(`  ${at}${p.message}`);
  }
  m.textContent = lines.join("\n");
  m.className = "error";
}

async function api(method, path, body, type = "application/json") {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = type;
    init.body = type === "application/json" ? JSON.stringify(body) : body;
  }
  const r = await fetch(path, init);
  const ct = r.headers.get("Content-Type") || "";
  const data = ct.startsWith("application/json") ? await r.json() : await r.text();
  if (!r.ok) throw (typeof data === "object" ? data : { error: `${r.status}: ${data}` });
  return data;
}

function target() {
  return { scenario: state.scenario, variant: state.variant || null, edits: [...state.edits.values()] };
}

// ---- scenarios -------------------------------------------------------------------------------

async function loadList(select) {
  const entries = await api("GET", "/api/scenarios");
  const s = $("scenario");
  s.replaceChildren();
  for (const e of entries) {
    const o = el("option", { value: e.name }, e.title ? `${e.title} (${e.name})` : `${e.name}: does not load`);
    if (e.error) o.disabled = true;
    s.append(o);
  }
  await choose(select || entries.find((e) => !e.error)?.name);
}

async function choose(name) {
  state.scenario = name;
  $("scenario").value = name;
  state.view = await api("GET", `/api/scenarios/${encodeURIComponent(name)}`);
  state.variant = "";
  state.edits.clear();
  state.base = null;
  const v = $("variant");
  v.replaceChildren(el("option", { value: "" }, "base"));
  for (const x of state.view.variants) v.append(el("option", { value: x.id, title: x.changes.join("; ") }, x.title || x.id));
  buildControls();
  explore();
}

// ---- controls --------------------------------------------------------------------------------

function slider(label, min, max, step, value, onInput, name) {
  const input = el("input", { type: "range", min, max, step, value, name });
  const out = el("output", {}, fmt(value));
  input.addEventListener("input", () => { out.textContent = fmt(+input.value); onInput(+input.value); });
  return el("div", { class: "row" }, el("label", {}, label), input, out);
}

function fmt(x) { return Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(2); }

function buildControls() {
  const box = $("actors");
  box.replaceChildren();
  const s = state.view.summary;
  for (const a of s.actors) {
    const d = el("details", { class: "actor", "data-actor": a.id });
    d.append(el("summary", {}, `${a.name} (${a.role}${a.required ? ", must agree" : ""})`));
    d.append(slider("capability", 0, Math.max(100, Math.ceil(a.capability * 2)), 1, a.capability,
      (x) => edit(`cap:${a.id}`, { kind: "capability", actor: a.id, capability: x }), `capability-${a.id}`));
    d.append(slider("walk-away", 0, 1, 0.01, a.reservation,
      (x) => edit(`res:${a.id}`, { kind: "reservation", actor: a.id, reservation: x }), `reservation-${a.id}`));
    const lines = state.view.red_lines.find(([who]) => who === a.id);
    if (lines) {
      const box2 = el("input", { type: "checkbox", name: `drop-red-lines-${a.id}` });
      box2.addEventListener("change", () => box2.checked
        ? edit(`red:${a.id}`, { kind: "drop_red_lines", actor: a.id })
        : edit(`red:${a.id}`, null));
      d.append(el("label", { class: "check", title: lines[1].join("; ") }, box2, `gives up its red lines (never ${lines[1].join("; never ")})`));
    }
    for (const p of a.positions) {
      const issue = s.issues.find((i) => i.id === p.issue);
      const key = `pos:${a.id}:${p.issue}`;
      const cur = { kind: "position", actor: a.id, issue: p.issue, ideal: null, salience: null };
      const box3 = el("div", { class: "issue" }, el("div", { class: "name" }, issue ? issue.name : p.issue));
      box3.append(slider("ideal (0–100)", 0, 100, 1, p.ideal_scale, (x) => { cur.ideal = x; edit(key, { ...cur }); }, `ideal-${a.id}-${p.issue}`));
      box3.append(slider("salience", 0, 1, 0.01, p.salience, (x) => { cur.salience = x; edit(key, { ...cur }); }, `salience-${a.id}-${p.issue}`));
      d.append(box3);
    }
    box.append(d);
  }
}

function edit(key, e) {
  if (e) state.edits.set(key, e); else state.edits.delete(key);
  clearTimeout(state.pending);
  state.pending = setTimeout(explore, 40);
}

// ---- exploring -------------------------------------------------------------------------------

// `x`'s deals, each term marked where it differs from the same deal in `ref` (the scenario as
// written), so that what an edit moved stands out.
function dealBlock(x, ref) {
  const box = el("div");
  if (!x.deal) { box.append(el("p", { class: "no" }, `No analysis: ${x.deal_error}`)); return box; }
  const d = x.deal.deal;
  box.append(el("p", {}, d.zone_exists
    ? el("span", { class: "yes" }, `A deal beats walking away for ${d.must_agree.join(", ")}`)
    : el("span", { class: "no" }, `No deal beats walking away for every party (${d.no_deal_for.join(", ") || "the red lines"})`)));
  for (const [label, deal] of [["Nash deal", d.nash], ["Kalai-Smorodinsky deal", d.kalai_smorodinsky]]) {
    if (!deal) { box.append(el("p", { class: "note" }, `${label}: none`)); continue; }
    const t = el("table", { class: "deal", "data-deal": label });
    t.append(el("caption", {}, label));
    const before = ref && ref.deal ? (label === "Nash deal" ? ref.deal.deal.nash : ref.deal.deal.kalai_smorodinsky) : null;
    for (const term of deal.terms) {
      const was = before ? before.terms.find((b) => b.issue === term.issue) : null;
      const td = el("td", {}, term.value);
      if (was && was.value !== term.value) { td.className = "changed"; td.append(el("span", { class: "was" }, `was ${was.value}`)); }
      t.append(el("tr", {}, el("th", {}, term.issue), td));
    }
    box.append(t);
  }
  const f = x.forecast.forecast.cases[0];
  if (f && f.comparison) box.append(el("p", { class: "note" }, `Forecasts: ${x.forecast.forecast.cases.length} case(s); see below.`));
  return box;
}

async function explore() {
  const seq = ++state.seq;
  const started = performance.now();
  let x;
  try {
    x = await api("POST", "/api/explore", target());
  } catch (e) { if (seq === state.seq) showError(e); return; }
  if (seq !== state.seq) return; // a newer one is on its way
  showError(null);
  state.last = x;
  seats();
  if (!state.edits.size && !state.variant) state.base = x;
  $("timing").textContent = `${Math.round(performance.now() - started)} ms (server ${Math.round(x.elapsed_ms)} ms)`;
  $("changes").replaceChildren(...(x.changes.length ? x.changes : ["the scenario as written"]).map((c) => el("li", {}, c)));
  $("deal").replaceChildren(dealBlock(x, state.base));
  scenarioTables(x.scenario);
  $("analysis-page").srcdoc = x.html.analysis || "<p>No analysis.</p>";
  $("forecast-page").srcdoc = x.html.forecast;
  const body = target();
  $("download").href = "#";
  $("download").dataset.body = JSON.stringify(body);
  document.body.dataset.explored = String(seq);
}

// The scenario as analysed (its summary, edits applied): who, with what power and walk-away
// value, and each actor's ideal point and salience per issue; and the issues' options.
function scenarioTables(summary) {
  const issues = summary.issues;
  const head = el("tr", {}, el("th", {}, "actor"), el("th", {}, "role"), el("th", { class: "num" }, "capability"), el("th", { class: "num" }, "walk-away"),
    ...issues.map((i) => el("th", { title: i.name }, i.id)));
  const rows = summary.actors.map((a) => el("tr", {}, el("td", {}, a.name), el("td", {}, `${a.role}${a.required ? ", must agree" : ""}`),
    el("td", { class: "num" }, fmt(a.capability)), el("td", { class: "num" }, fmt(a.reservation)),
    ...issues.map((i) => {
      const p = a.positions.find((q) => q.issue === i.id);
      return el("td", { class: "num" }, p ? `${fmt(p.ideal_scale)} (${p.salience.toFixed(2)})` : "");
    })));
  $("actors-table").replaceChildren(el("caption", {}, "Ideal point on each issue's 0–100 axis (salience)"), head, ...rows);
  $("issues-table").replaceChildren(el("tr", {}, el("th", {}, "issue"), el("th", {}, "kind"), el("th", {}, "options (place on the axis)")),
    ...issues.map((i) => el("tr", {}, el("td", {}, i.name), el("td", {}, i.kind),
      el("td", {}, i.values.map((v) => (v.scale === null || v.scale === undefined ? v.label : `${v.label} (${fmt(v.scale)})`)).join(", ")))));
}

async function download(ev) {
  ev.preventDefault();
  const r = await fetch("/api/export", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(target()) });
  if (!r.ok) { showError(await r.json()); return; }
  const blob = await r.blob();
  const name = (r.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/)?.[1] || "scenario.toml";
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
}

function pin() {
  if (!state.last) return;
  state.pinned = state.last;
  $("pinned").hidden = false;
  $("pinned-changes").replaceChildren(...(state.pinned.changes.length ? state.pinned.changes : ["the scenario as written"]).map((c) => el("li", {}, c)));
  $("pinned-deal").replaceChildren(dealBlock(state.pinned, state.base));
}

// Every case of the scenario side by side: whether a deal beats walking away, what the Nash deal
// gives the parties that must agree and its terms, and the forecast (KTAB's SMP, the nearest
// option) per issue; each cell marked where it differs from the scenario as written.
async function compareAll() {
  const b = $("compare-all");
  b.disabled = true;
  const cases = [{ title: "as written", target: { scenario: state.scenario, variant: null, edits: [] } },
    ...state.view.variants.map((v) => ({ title: v.title || v.id, target: { scenario: state.scenario, variant: v.id, edits: [] } }))];
  if (state.edits.size) cases.push({ title: "now (your edits)", target: target() });
  try {
    const xs = await Promise.all(cases.map((c) => api("POST", "/api/explore", c.target)));
    showError(null);
    compareTable(cases, xs);
  } catch (e) { showError(e); }
  b.disabled = false;
}

function compareTable(cases, xs) {
  const base = xs[0];
  const issues = base.scenario.issues;
  const nash = (x) => (x.deal && x.deal.deal.nash ? x.deal.deal.nash : null);
  const smp = (x) => new Map(((x.forecast.forecast.cases[0] || {}).comparison || { rows: [] }).rows.map((r) => [r.issue, r.options ? r.options[3] : r.smp.toFixed(0)]));
  const cell = (text, baseText) => el("td", text !== baseText ? { class: "changed", title: `as written: ${baseText}` } : {}, text);
  const zone = (x) => !x.deal ? "no analysis"
    : x.deal.deal.zone_exists ? `yes (${x.deal.deal.zone_size} outcomes)` : `no (${x.deal.deal.no_deal_for.join(", ") || "red lines"})`;
  const gives = (x) => { const n = nash(x); return n ? n.parties.filter((p) => x.deal.deal.must_agree.includes(p.party)).map((p) => `${p.party} ${u3(p.utility)}`).join(", ") : "none"; };
  const term = (x, issue) => { const n = nash(x); const t = n ? n.terms.find((t) => t.issue === issue) : null; return t ? t.value : "—"; };
  const section = (label) => el("tr", { class: "section" }, el("th", { colspan: String(cases.length + 1) }, label));
  const row = (label, f) => el("tr", {}, el("th", {}, label), ...xs.map((x) => cell(f(x), f(base))));
  const rows = [
    el("tr", {}, el("th", {}, ""), ...cases.map((c) => el("th", {}, c.title))),
    row("a deal beats walking away", zone),
    row("the Nash deal gives", gives),
    section("The Nash deal"),
    ...issues.map((i) => row(i.name, (x) => term(x, i.id))),
    section("The forecast (KTAB's SMP, nearest option)"),
    ...issues.map((i) => row(i.name, (x) => smp(x).get(i.id) || "—")),
  ];
  $("compare-table").replaceChildren(...rows);
  $("compare").hidden = false;
  $("compare").dataset.cases = String(cases.length);
}

async function runStudy() {
  const b = $("study");
  b.disabled = true; b.textContent = "Running the study…";
  try {
    const r = await api("POST", "/api/study", target());
    $("study-page").srcdoc = r.html;
    $("study-page").hidden = false;
    b.textContent = `Run the study again (took ${(r.elapsed_ms / 1000).toFixed(1)} s)`;
  } catch (e) { showError(e); b.textContent = "Run the study"; }
  b.disabled = false;
}

// ---- watching --------------------------------------------------------------------------------

const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

function drawCurves(report, upTo) {
  const box = $("curves");
  box.replaceChildren();
  const W = 640, H = 300, L = 44, B = 30, T = 12, R = 120;
  const deadline = Math.max(1, report.concessions.deadline);
  const x = (r) => L + (W - L - R) * (r - 1) / Math.max(1, deadline - 1);
  const y = (u) => H - B - (H - B - T) * Math.max(0, Math.min(1, u));
  box.append(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }));
  box.append(svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#999" }));
  for (const u of [0, 0.5, 1]) {
    const t = svg("text", { x: L - 6, y: y(u) + 4, "text-anchor": "end", "font-size": 11 }); t.textContent = u.toFixed(1); box.append(t);
  }
  const xl = svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", "font-size": 11 });
  xl.textContent = `round (deadline ${deadline})`; box.append(xl);
  report.concessions.curves.forEach((c, k) => {
    const pts = c.points.filter(([r]) => r <= upTo);
    const color = COLORS[k % COLORS.length];
    if (pts.length) box.append(svg("polyline", { points: pts.map(([r, u]) => `${x(r)},${y(u)}`).join(" "), fill: "none", stroke: color, "stroke-width": 2, "data-party": c.party }));
    const t = svg("text", { x: W - R + 8, y: T + 14 * (k + 1), fill: color, "font-size": 12 }); t.textContent = c.party; box.append(t);
  });
}

// The offers so far in the utility space of the first two parties that must agree (the space
// and its Pareto frontier as the analysis gives them), each party's offers in its colour.
function drawSpace(space, report, upTo) {
  const box = $("space");
  box.replaceChildren();
  if (!space || space.status !== "ran") {
    const t = svg("text", { x: 20, y: 30, "font-size": 13 });
    t.textContent = `No utility space: ${space ? space.reason : "no analysis"}`;
    box.append(t);
    return;
  }
  const W = 640, H = 420, L = 50, B = 40, T = 14, R = 130;
  const x = (u) => L + (W - L - R) * Math.max(0, Math.min(1, u));
  const y = (u) => H - B - (H - B - T) * Math.max(0, Math.min(1, u));
  box.append(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }), svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#999" }));
  const lx = svg("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle", "font-size": 12 }); lx.textContent = `${space.x_party}'s utility`;
  const ly = svg("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", "font-size": 12, transform: `rotate(270, 14, ${(T + H - B) / 2})` }); ly.textContent = `${space.y_party}'s utility`;
  box.append(lx, ly);
  for (const u of [0, 0.5, 1]) {
    const tx = svg("text", { x: x(u), y: H - B + 14, "text-anchor": "middle", "font-size": 11 }); tx.textContent = u.toFixed(1);
    const ty = svg("text", { x: L - 6, y: y(u) + 4, "text-anchor": "end", "font-size": 11 }); ty.textContent = u.toFixed(1);
    box.append(tx, ty);
  }
  box.append(svg("line", { x1: x(space.x_reservation), y1: T, x2: x(space.x_reservation), y2: H - B, stroke: "#999", "stroke-dasharray": "3 3" }));
  box.append(svg("line", { x1: L, y1: y(space.y_reservation), x2: W - R, y2: y(space.y_reservation), stroke: "#999", "stroke-dasharray": "3 3" }));
  const frontier = [...space.frontier].sort((a, b) => a[0] - b[0]);
  box.append(svg("polyline", { points: frontier.map(([a, b]) => `${x(a)},${y(b)}`).join(" "), fill: "none", stroke: "#444", "stroke-width": 1.5, id: "frontier" }));
  const ix = report.parties.findIndex((p) => p.actor === space.x_party);
  const iy = report.parties.findIndex((p) => p.actor === space.y_party);
  if (ix < 0 || iy < 0) return;
  const who = report.parties.map((p) => p.actor);
  for (const o of report.offers.filter((o) => o.round <= upTo)) {
    const k = who.indexOf(o.by);
    box.append(svg("circle", { cx: x(o.utilities[ix]), cy: y(o.utilities[iy]), r: 4, fill: k < 0 ? "#555" : COLORS[k % COLORS.length], opacity: 0.8, class: "offer" }));
  }
  [...who, "mediator"].forEach((p, k) => {
    if (!report.offers.some((o) => o.by === p)) return;
    const t = svg("text", { x: W - R + 8, y: T + 14 * (k + 1), fill: p === "mediator" ? "#555" : COLORS[k % COLORS.length], "font-size": 12 });
    t.textContent = `${p}'s offers`;
    box.append(t);
  });
  const f = svg("text", { x: W - R + 8, y: H - B, "font-size": 11, fill: "#444" }); f.textContent = "— Pareto frontier"; box.append(f);
}

function stop() {
  if (state.source) { state.source.close(); state.source = null; }
  $("stop").disabled = true;
  $("replay").disabled = !state.negotiation;
}

function watch() {
  stop();
  const n = state.negotiation;
  const body = $("offers").tBodies[0];
  body.replaceChildren();
  $("negotiation-page").hidden = true;
  let parties = [];
  let round = 0;
  drawCurves(n.report, 0);
  drawSpace(state.space, n.report, 0);
  const pace = +$("pace").value;
  const es = new EventSource(`/api/negotiations/${n.id}/events?pace_ms=${pace}`);
  state.source = es;
  $("stop").disabled = false;
  $("status").textContent = "Negotiating…";
  es.addEventListener("header", (ev) => { parties = JSON.parse(ev.data).parties.map((p) => `${p.actor} (${p.negotiator})`); });
  es.addEventListener("action", (ev) => {
    const a = JSON.parse(ev.data);
    round = a.round;
    const who = a.actor === undefined || a.actor === null ? "mediator" : (parties[a.actor] || String(a.actor));
    body.append(el("tr", {}, el("td", {}, String(a.round)), el("td", {}, who), el("td", {}, a.action), el("td", {}, (a.values || []).join(", "))));
    body.parentElement.parentElement.scrollTop = 1e9;
    drawCurves(n.report, round);
    drawSpace(state.space, n.report, round);
  });
  es.addEventListener("end", (ev) => {
    const e = JSON.parse(ev.data);
    $("status").textContent = `${e.end} after ${e.rounds} round(s)${e.values ? `: ${e.values.join(", ")}` : ""}. ${n.report.summary}`;
    $("status").dataset.end = e.end;
  });
  es.addEventListener("done", () => {
    stop();
    drawCurves(n.report, Infinity);
    drawSpace(state.space, n.report, Infinity);
    $("negotiation-page").srcdoc = n.html;
    $("negotiation-page").hidden = false;
  });
  es.onerror = () => { if (state.source === es) { stop(); $("status").textContent += " (the stream stopped)"; } };
}

async function run(ev) {
  ev.preventDefault();
  const negotiators = $("negotiators").value.trim();
  const req = {
    target: target(),
    protocol: $("protocol").value || null,
    negotiators: negotiators ? negotiators.split(",").map((s) => s.trim()) : null,
    rounds: $("rounds").value ? +$("rounds").value : null,
    seed: +$("seed").value || 0,
  };
  try {
    state.negotiation = await api("POST", "/api/negotiations", req);
    // the utility space the offers move in: the analysis of the same scenario and edits
    const x = await api("POST", "/api/explore", req.target);
    state.space = x.deal ? x.deal.utility_space : null;
  } catch (e) { showError(e); return; }
  showError(null);
  $("trace").href = `/api/negotiations/${state.negotiation.id}/trace`;
  $("trace").hidden = false;
  delete $("status").dataset.end;
  watch();
}

// ---- playing ---------------------------------------------------------------------------------

const u3 = (x) => (x === null || x === undefined ? "" : x.toFixed(3));

// who can take a seat: the server says, by protocol (the explore answer's `seats`)
function seats() {
  const s = $("seat");
  const was = s.value;
  if (!state.last) return;
  const mediated = $("game-protocol").value !== "sao";
  const ids = mediated ? state.last.seats.mediated : state.last.seats.joint_table;
  const names = new Map(state.last.scenario.actors.map((a) => [a.id, a.name]));
  s.replaceChildren(...ids.map((id) => el("option", { value: id }, names.get(id) || id)));
  if (ids.includes(was)) s.value = was;
}

async function startGame(ev) {
  ev.preventDefault();
  const req = {
    target: target(),
    seat: $("seat").value,
    protocol: $("game-protocol").value,
    opponents: $("opponents").value.trim() || null,
    rounds: $("game-rounds").value ? +$("game-rounds").value : null,
    seed: +$("game-seed").value || 0,
  };
  try {
    const g = await api("POST", "/api/games", req);
    showError(null);
    state.draft = null;
    showGame(g);
  } catch (e) { showError(e); }
}

async function move(m) {
  try {
    const g = await api("POST", `/api/games/${state.game.id}/moves`, m);
    showError(null);
    showGame(g);
  } catch (e) { showError(e); }
}

// what each question asks, in words, and what its buttons say
const ASKED = {
  offer: { title: "On the table", accept: "Accept it", reject: "", offer: "Your offer", make: "Make this offer" },
  candidate: { title: "The mediator's candidate", accept: "Vote yes", reject: "Vote no" },
  final: { title: "The text, put to you as final", accept: "Agree to it", reject: "Refuse it" },
  visit: { title: "The mediator shows you the text", accept: "Accept it", reject: "Reject it", offer: "Your counter-proposal", make: "Counter with this" },
};

function outcomeTable(g, s, other, otherLabel) {
  const rows = s.values.map((v, k) => {
    const changed = other && other.options[k] !== s.options[k];
    return el("tr", {}, el("th", {}, g.issues[k].name), el("td", { class: changed ? "changed" : "" }, v),
      ...(other ? [el("td", {}, other.values[k])] : []));
  });
  const head = other ? [el("tr", {}, el("th", {}, ""), el("th", {}, "proposed"), el("th", {}, otherLabel))] : [];
  const util = (x) => el("td", { class: x.your_utility >= g.reservation ? "yes" : "no" },
    `${u3(x.your_utility)}${x.acceptable ? "" : " (crosses one of your red lines)"}`);
  return el("table", {}, ...head, ...rows,
    el("tr", {}, el("th", {}, `from ${s.by}: your utility`), util(s), ...(other ? [util(other)] : [])));
}

function showGame(g) {
  state.game = g;
  $("game").hidden = false;
  const waiting = g.status === "waiting";
  const s = g.standing;
  const may = (k) => waiting && g.allowed.includes(k);
  const words = ASKED[g.asked || "offer"];
  const canAccept = may("accept") && !!s && s.acceptable;
  const st = $("game-status");
  st.dataset.status = g.status;
  st.dataset.asked = g.asked || "";
  st.dataset.moves = String(g.history.length);
  st.dataset.canAccept = String(canAccept && s.your_utility >= g.reservation);
  // what is before you, as numbers (the browser test votes on them)
  st.dataset.utility = s ? String(s.your_utility) : "";
  st.dataset.acceptable = String(!!s && s.acceptable);
  st.dataset.textUtility = g.text ? String(g.text.your_utility) : "";
  st.dataset.reservation = String(g.reservation);
  const by = g.mediator ? ` ${g.mediator} mediates.` : "";
  st.textContent = waiting
    ? `Round ${g.round} of ${g.deadline}: your move, ${g.you}. Walking away is worth ${u3(g.reservation)} to you.${by}`
    : `The talks are over: ${g.result.report.summary}.`;
  $("standing-title").textContent = words.title;
  $("asked").textContent = !waiting ? ""
    : g.asked === "candidate" ? (g.text
      ? "Vote yes to make the candidate the text in place of the current one (changed issues are marked); every party whose yes counts must vote yes."
      : "No text yet: vote yes to make the candidate the first text.")
    : g.asked === "final" ? "Yes from every party whose vote counts makes this text the agreement."
    : g.asked === "visit" ? "Accept the text, counter it with a proposal of your own, reject it, or walk away." : "";
  $("standing").replaceChildren(s ? outcomeTable(g, s, g.text, "current text")
    : el("p", { class: "note" }, waiting ? "Nothing yet." : "The talks are over: how you did is on the right, the whole negotiation below."));
  $("accept").textContent = words.accept;
  $("accept").disabled = !canAccept;
  $("reject").hidden = !may("reject");
  $("reject").textContent = words.reject || "Reject";
  $("walk-away").hidden = waiting && !may("walk_away");
  $("walk-away").disabled = !waiting;
  $("offering").hidden = !may("offer");
  $("offer-title").textContent = words.offer || "Your offer";
  $("offer").textContent = words.make || "Make this offer";
  $("offer").disabled = !may("offer");
  $("best").disabled = !waiting;
  $("from-theirs").disabled = !waiting || !s;
  // in mediation the mediator proposes texts and the parties answer them
  const verb = (h) => !g.mediator ? h.action
    : h.actor === g.mediator ? (h.action === "end" ? "withdraws" : "proposes")
    : ({ accept: "yes", reject: "no", offer: "counters", end: "walks away" })[h.action] || h.action;
  $("moves").tBodies[0].replaceChildren(...g.history.map((h) => el("tr", {}, el("td", {}, String(h.round)),
    el("td", {}, h.actor === g.you ? `${h.actor} (you)` : h.actor), el("td", {}, h.values ? `${verb(h)}: ${h.values.join(", ")}` : verb(h)),
    el("td", {}, u3(h.your_utility)))));
  if (!state.draft || state.draft.length !== g.issues.length) state.draft = s ? [...s.options] : g.issues.map(() => 0);
  buildOffer();
  const result = $("game-result");
  result.replaceChildren();
  $("game-page").hidden = true;
  if (g.result) {
    const mine = g.result.report.utilities.find((a) => a.actor === g.you);
    const agent = g.result.agent.utilities.find((a) => a.actor === g.you);
    const q = g.result.report.quality;
    result.append(el("h3", {}, "How you did"),
      el("table", {},
        el("tr", {}, el("th", {}, "your utility"), el("td", { id: "your-utility" }, u3(mine.utility))),
        el("tr", {}, el("th", {}, "the agent in your seat (same opponents, seed, deadline)"), el("td", { id: "agent-utility" }, `${u3(agent.utility)}: ${g.result.agent.summary}`)),
        el("tr", {}, el("th", {}, "distance to the Pareto frontier"), el("td", {}, q ? u3(q.pareto_distance) : "")),
        el("tr", {}, el("th", {}, "distance to the Nash point"), el("td", {}, q ? u3(q.nash_distance) : ""))));
    $("game-page").srcdoc = g.result.html;
    $("game-page").hidden = false;
  }
}

async function buildOffer() {
  const g = state.game;
  let e;
  try {
    e = await api("POST", `/api/games/${g.id}/evaluate`, { options: state.draft });
  } catch (err) { showError(err); return; }
  state.evaluated = e;
  $("draft-utility").textContent = `gives you ${u3(e.utility)}${e.acceptable ? "" : ", crosses one of your red lines"}`;
  $("offer").disabled = g.status !== "waiting" || !g.allowed.includes("offer") || !e.acceptable;
  const box = $("builder");
  box.replaceChildren(...g.issues.map((issue, k) => {
    const sel = el("select", { name: `option-${issue.issue}` });
    issue.options.forEach((label, v) => {
      const o = el("option", { value: String(v) }, `${label} → ${u3(e.options[k][v])}`);
      if (v === state.draft[k]) o.selected = true;
      sel.append(o);
    });
    sel.addEventListener("change", () => { state.draft[k] = +sel.value; buildOffer(); });
    return el("div", { class: "row" }, el("label", {}, issue.name), sel);
  }));
  document.body.dataset.evaluated = String((+document.body.dataset.evaluated || 0) + 1);
}

function best() {
  const e = state.evaluated;
  if (!e) return;
  state.draft = e.options.map((opts) => opts.indexOf(Math.max(...opts)));
  buildOffer();
}

// ---- wiring ----------------------------------------------------------------------------------

function tabs() {
  for (const b of document.querySelectorAll("#tabs button")) {
    b.addEventListener("click", () => {
      for (const o of document.querySelectorAll("#tabs button")) o.classList.toggle("active", o === b);
      for (const t of document.querySelectorAll(".tab")) t.hidden = t.id !== b.dataset.tab;
    });
  }
}

window.addEventListener("DOMContentLoaded", () => {
  tabs();
  $("scenario").addEventListener("change", () => choose($("scenario").value).catch(showError));
  $("variant").addEventListener("change", () => { state.variant = $("variant").value; explore(); });
  $("reset").addEventListener("click", () => choose(state.scenario).catch(showError));
  $("pin").addEventListener("click", pin);
  $("compare-all").addEventListener("click", compareAll);
  $("download").addEventListener("click", (ev) => download(ev).catch(showError));
  $("study").addEventListener("click", runStudy);
  $("run").addEventListener("submit", run);
  $("stop").addEventListener("click", stop);
  $("replay").addEventListener("click", watch);
  $("new-game").addEventListener("submit", startGame);
  $("accept").addEventListener("click", () => move({ kind: "accept" }));
  $("reject").addEventListener("click", () => move({ kind: "reject" }));
  $("walk-away").addEventListener("click", () => move({ kind: "walk_away" }));
  $("game-protocol").addEventListener("change", seats);
  $("offer").addEventListener("click", () => move({ kind: "offer", options: state.draft }));
  $("best").addEventListener("click", best);
  $("from-theirs").addEventListener("click", () => { if (state.game.standing) { state.draft = [...state.game.standing.options]; buildOffer(); } });
  $("pace").addEventListener("input", () => { $("pace-ms").textContent = `${$("pace").value} ms`; });
  $("upload").addEventListener("change", async () => {
    const f = $("upload").files[0];
    if (!f) return;
    try {
      const r = await api("POST", `/api/scenarios?file=${encodeURIComponent(f.name)}`, await f.text(), "text/plain");
      showError(null);
      await loadList(r.name);
    } catch (e) { showError(e); }
    $("upload").value = "";
  });
  loadList().catch(showError);
});
