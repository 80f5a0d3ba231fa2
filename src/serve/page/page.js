// The page: pick a stage, step through its dates or rounds, go back in
// the archive's own time (known_at), and check a result's inclusion proof.
// Plain JS over the JSON API; nothing is fetched from other hosts.
"use strict";
const $ = (id) => document.getElementById(id);
const EVENT_CONTEXT = "scoreledger 2026-11 event v1"; // chain.rs EVENT_CONTEXT
const state = { stages: [], results: [], steps: [], mode: "date" };

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const url = q.toString() ? `${path}?${q}` : path;
  const r = await fetch(url);
  const isJson = (r.headers.get("content-type") || "").startsWith("application/json");
  const body = isJson ? await r.json() : await r.text();
  if (!r.ok) throw new Error(isJson ? `${body.error} (${body.hint})` : body);
  return body;
}

function fail(e) { $("error").textContent = String(e.message || e); }

function scope() {
  return { competition: $("competition").value, season: $("season").value,
           stage: $("stage").value, known_at: $("known-at").value };
}

function fill(select, values) {
  const keep = select.value;
  select.replaceChildren(...values.map((v) => el("option", v)));
  if (values.includes(keep)) select.value = keep;
}

const unique = (xs) => [...new Set(xs)];

function fillScopes() {
  const s = state.stages;
  fill($("competition"), unique(s.map((x) => x.competition)));
  const c = $("competition").value;
  fill($("season"), unique(s.filter((x) => x.competition === c).map((x) => x.season)));
  const season = $("season").value;
  fill($("stage"), s.filter((x) => x.competition === c && x.season === season).map((x) => x.stage));
}

async function loadTrust() {
  const head = await api("/api/head");
  $("head").textContent = `seq ${head.seq} ${head.hash}`;
  const cp = await api("/api/checkpoint");
  state.checkpoint = cp;
  $("checkpoint").textContent = cp.split("\n").slice(0, 3).join(" · ");
}

// The stage's results as known at the chosen seq: the steps of the slider.
async function loadStage() {
  const sc = scope();
  state.results = await api("/api/results", sc);
  const key = state.mode === "date" ? (r) => r.date : (r) => r.round;
  state.steps = unique(state.results.map(key).filter((x) => x !== null)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const step = $("step");
  const atEnd = Number(step.value) >= Number(step.max);
  step.max = Math.max(0, state.steps.length - 1);
  if (atEnd || Number(step.value) > Number(step.max)) step.value = step.max;
  await Promise.all([showStep(), loadCorrections()]);
}

function cut(i) {
  if (i < 0 || i >= state.steps.length) return null;
  return state.mode === "date" ? { as_of: state.steps[i] } : { round: state.steps[i] };
}

async function showStep() {
  $("error").textContent = "";
  const i = Number($("step").value);
  const now = cut(i);
  if (!now) { $("step-label").textContent = "no results"; return; }
  $("step-label").textContent = state.mode === "date" ? state.steps[i] : `round ${state.steps[i]}`;
  const before = cut(i - 1);
  const [table, prev] = await Promise.all([
    api("/api/standings", { ...scope(), ...now }),
    before ? api("/api/standings", { ...scope(), ...before }) : null,
  ]);
  const was = new Map((prev ? prev.rows : []).map((r) => [r.team, r.pos]));
  // Points per game, where they rank the table (a season cut short).
  const perGame = table.rows.some((r) => "points_per_game" in r);
  const head = $("table").tHead.rows[0];
  const shown = head.lastElementChild.textContent === "PPG";
  if (perGame && !shown) head.append(el("th", "PPG"));
  if (!perGame && shown) head.lastElementChild.remove();
  $("table").tBodies[0].replaceChildren(...table.rows.map((r) => {
    const tr = el("tr");
    const move = was.has(r.team) ? was.get(r.team) - r.pos : null;
    const moveCell = el("td", move === null ? "" : move > 0 ? `↑${move}` : move < 0 ? `↓${-move}` : "=",
      move > 0 ? "up" : move < 0 ? "down" : "");
    tr.append(el("td", String(r.pos)), moveCell, el("td", r.team, "team"));
    for (const k of ["played", "won", "drawn", "lost", "goals_for", "goals_against", "goal_difference", "points"]) {
      tr.append(el("td", String(r[k])));
    }
    if (perGame) tr.append(el("td", r.points_per_game.toFixed(3)));
    return tr;
  }));
  showResults(i);
  const img = el("img");
  img.alt = "race chart";
  img.src = `/api/chart.svg?${new URLSearchParams(Object.entries({ ...scope(), ...(state.mode === "date" ? now : {}) }).filter(([, v]) => v !== "" && v !== undefined))}`;
  $("chart").replaceChildren(img);
}

function showResults(i) {
  const key = state.mode === "date" ? "date" : "round";
  const rows = state.results.filter((r) => r[key] === state.steps[i]);
  $("results").replaceChildren(...rows.map((r) => {
    const mark = r.status === "played" ? "" : ` (${r.status}, was ${r.recorded_score}: ${r.reason})`;
    const pens = r.shootout_winner ? ` (pens: ${r.shootout_winner})` : "";
    const li = el("li", `${r.date} ${r.home} ${r.home_goals}-${r.away_goals}${pens} ${r.away}${mark}`,
      r.status === "played" ? "" : "corrected");
    li.dataset.id = r.id;
    li.onclick = () => showHistory(r.id).catch(fail);
    return li;
  }));
}

// Every correction, award or annulment of the stage, with a button to see
// the table as the archive knew it just before.
async function loadCorrections() {
  const changed = state.results.filter((r) => r.status !== "played");
  const histories = await Promise.all(changed.map((r) => api(`/api/matches/${r.id}/history`)));
  const items = [];
  for (const h of histories) {
    for (const e of h.events.slice(1)) {
      const li = el("li", `seq ${e.seq}: ${h.home} v ${h.away}: ${e.change}${e.reason ? ` (${e.reason})` : ""} `, "corrected");
      const b = el("button", "before it");
      b.className = "before";
      b.onclick = () => { $("known-at").value = e.seq - 1; onKnownAt(); };
      li.append(b);
      items.push(li);
    }
  }
  $("corrections").replaceChildren(...(items.length ? items : [el("li", "none known at this seq")]));
}

async function showHistory(id) {
  const h = await api(`/api/matches/${id}/history`);
  const box = el("div");
  box.append(el("p", `${h.competition} ${h.season} ${h.stage}${h.round ? ` round ${h.round}` : ""}, ${h.date}: ${h.home} ${h.home_goals}-${h.away_goals} ${h.away} (${h.status}${h.shootout_winner ? `, won on penalties by ${h.shootout_winner}` : ""})`));
  const ul = el("ul");
  for (const e of h.events) {
    const li = el("li", `seq ${e.seq} ${e.recorded_at}: ${e.change}${e.reason ? ` (${e.reason})` : ""} `);
    const b = el("button", "check proof");
    b.className = "check-proof";
    b.onclick = () => checkProof(e.seq).catch(fail);
    li.append(b);
    ul.append(li);
  }
  box.append(ul);
  $("history").replaceChildren(box);
  $("proof").textContent = "";
}

const fromHex = (s) => Uint8Array.from(s.match(/../g) || [], (h) => parseInt(h, 16));
const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const cat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length; } return out; };
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// Checks in the page, with BLAKE3 in JS: the envelope hashes to the event
// hash (chain.rs event_hash), and the path leads from its leaf to the
// checkpoint's root (merkle.rs verify_inclusion).
async function checkProof(seq) {
  const cpText = await api("/api/checkpoint");
  const [, sizeLine, rootB64] = cpText.split("\n");
  const size = Number(sizeLine);
  const root = fromB64(rootB64);
  const p = await api(`/api/proof/${seq}`, { size });
  const env = fromHex(p.envelope);
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(env.length - 81));
  const eventHash = BLAKE3.deriveKey(EVENT_CONTEXT, cat(env.subarray(0, 49), len, env.subarray(81)));
  const say = (ok, text) => { $("proof").replaceChildren(el("span", text, ok ? "ok" : "bad")); };
  if (!same(eventHash, env.subarray(49, 81)) || BLAKE3.hex(eventHash) !== p.event_hash) {
    return say(false, `seq ${seq}: the event does not hash to its stored hash`);
  }
  let r = BLAKE3.hash(cat([0], eventHash));
  let fn = seq - 1, sn = size - 1;
  for (const b of p.path.map(fromB64)) {
    if (sn === 0) return say(false, "the proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      r = BLAKE3.hash(cat([1], b, r));
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = BLAKE3.hash(cat([1], r, b));
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !same(r, root)) return say(false, `seq ${seq}: the proof does not lead to the checkpoint's root`);
  say(true, `proof OK: seq ${seq} is in the checkpoint of ${size} events (root ${rootB64}), checked in this page`);
}

async function onScope() {
  fillScopes();
  await loadStage();
}

async function onKnownAt() {
  const k = $("known-at").value;
  $("known-label").textContent = k ? `(as the archive knew it at ${/^\d+$/.test(k) ? `seq ${k}` : k})` : "";
  try { await loadStage(); } catch (e) { fail(e); }
}

async function start() {
  for (const id of ["competition", "season", "stage"]) $(id).onchange = () => onScope().catch(fail);
  $("step").oninput = () => showStep().catch(fail);
  $("prev").onclick = () => { $("step").stepDown(); showStep().catch(fail); };
  $("next").onclick = () => { $("step").stepUp(); showStep().catch(fail); };
  $("known-at").onchange = onKnownAt;
  $("latest").onclick = () => { $("known-at").value = ""; onKnownAt(); };
  for (const r of document.querySelectorAll("input[name=mode]")) {
    r.onchange = () => { state.mode = r.value; $("step").value = 0; loadStage().catch(fail); };
  }
  await loadTrust();
  state.stages = await api("/api/list/stages");
  await onScope();
  document.body.dataset.ready = "1";
}

start().catch(fail);
