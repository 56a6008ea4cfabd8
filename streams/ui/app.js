// wirewatch live page: polls the worker's JSON views and draws them. Plain DOM + SVG, no library.
// Text from articles is untrusted: it only ever goes into textContent, links only when http(s).
"use strict";

const FEED_EVERY_MS = 2000;
const TIMELINE_EVERY_MS = 10000;
const STORIES_EVERY_MS = 10000;
const HEALTH_EVERY_MS = 5000;
const FEED_SIZE = 40;
const DEFAULT_DAYS = 30;
const QUADS = [
  [1, "verbal cooperation", "var(--q1)"],
  [2, "material cooperation", "var(--q2)"],
  [3, "verbal conflict", "var(--q3)"],
  [4, "material conflict", "var(--q4)"],
];
const SVG = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);
const state = { shown: new Set(), dyadChosen: false, dyad: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    const reason = body && body.error ? body.error : `HTTP ${response.status}`;
    throw new Error(reason);
  }
  return body;
}

function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

function side(code, country) {
  return country || (code ? code.slice(0, 3).toUpperCase() : null);
}

// --- health ---------------------------------------------------------------------------------------

async function refreshHealth() {
  const badge = $("health-status");
  const detail = $("health-detail");
  try {
    const response = await fetch("/healthz", { cache: "no-store" });
    const body = await response.json();
    badge.textContent = body.status;
    badge.className = "badge " + (body.status === "ok" ? "ok" : "warn");
    const parts = (body.input_partitions || []).length;
    detail.textContent = `${body.app} · ${parts} input partition${parts === 1 ? "" : "s"} · ${body.coder_version || ""}`;
  } catch (e) {
    badge.textContent = "unreachable";
    badge.className = "badge down";
    detail.textContent = "the worker does not answer";
  }
}

// --- newest events --------------------------------------------------------------------------------

function eventItem(row) {
  const source = row.source_code || row.source_country || row.source_text || "?";
  const target = row.target_code || row.target_country || row.target_text;
  const url = safeUrl(row.url);
  const link = url
    ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "article" }, row.title || "article")
    : el("span", { class: "article" }, row.title ? `${row.title} (no link)` : "no article URL");
  return el("li", { class: `event q${row.quad_class}`, "data-event-id": row.event_id },
    el("div", { class: "head" },
      el("span", { class: "date" }, row.event_date || "undated"),
      el("span", { class: "dyad" }, target ? `${source} → ${target}` : source),
      el("span", { class: "code", title: "CAMEO code" }, row.cameo_code),
      el("span", { class: "name" }, row.cameo_name),
      el("span", { class: "plover note", title: "PLOVER event" }, row.plover_event),
      row.modality && row.modality !== "asserted" ? el("span", { class: "note" }, `(${row.modality})`) : null),
    el("p", { class: "evidence" }, `“${row.evidence || ""}”`),
    el("div", { class: "meta" },
      el("span", { class: "outlet" }, row.publisher || "unknown outlet"),
      link,
      el("span", { title: "Goldstein score" }, `Goldstein ${row.goldstein}`),
      row.received_at ? el("span", {}, `coded ${new Date(row.received_at).toLocaleTimeString()}`) : null));
}

async function refreshFeed() {
  const feed = $("feed");
  try {
    const body = await getJSON(`/events/recent?limit=${FEED_SIZE}`);
    const rows = body.events || [];
    // newest first: insert unseen rows at the top, in order
    const fresh = rows.filter((row) => !state.shown.has(row.event_id));
    for (const row of fresh.slice().reverse()) {
      const item = eventItem(row);
      if (state.shown.size) item.classList.add("new");
      feed.prepend(item);
      state.shown.add(row.event_id);
    }
    while (feed.children.length > FEED_SIZE) {
      state.shown.delete(feed.lastElementChild.getAttribute("data-event-id"));
      feed.lastElementChild.remove();
    }
    $("feed-empty").hidden = feed.children.length > 0;
    $("feed-note").textContent = `updated ${new Date().toLocaleTimeString()}`;
    if (!state.dyadChosen && rows.length) chooseDefaultDyad(rows);
  } catch (e) {
    $("feed-note").textContent = `not updated: ${e.message}`;
  }
}

// --- dyad timeline --------------------------------------------------------------------------------

function isoDay(d) { return d.toISOString().slice(0, 10); }

function addDays(day, n) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

function chooseDefaultDyad(rows) {
  // the dyad with most events among the newest ones, over the days around them
  const byDyad = new Map();
  for (const r of rows) {
    const source = side(r.source_code, r.source_country);
    const target = side(r.target_code, r.target_country);
    if (!source || !target || !r.event_date) continue;
    const key = `${source}|${target}`;
    if (!byDyad.has(key)) byDyad.set(key, []);
    byDyad.get(key).push(r.event_date);
  }
  let best = null;
  for (const [key, dates] of byDyad) if (!best || dates.length > best[1].length) best = [key, dates];
  if (!best) return;
  const [source, target] = best[0].split("|");
  const last = best[1].reduce((a, b) => (a > b ? a : b));
  const near = best[1].filter((d) => d >= addDays(last, -(DEFAULT_DAYS - 1)));
  const first = near.reduce((a, b) => (a < b ? a : b));
  setDyad(source, target, addDays(first, -3), addDays(last, 3));
}

function setDyad(source, target, from, to) {
  state.dyad = { source, target, from, to };
  state.dyadChosen = true; // chosen once (from the feed or by the user), then kept
  $("dyad-source").value = source;
  $("dyad-target").value = target;
  $("dyad-from").value = from;
  $("dyad-to").value = to;
  refreshTimeline();
}

async function refreshTimeline() {
  const d = state.dyad;
  if (!d) return;
  const path = `/dyads/${encodeURIComponent(d.source)}/${encodeURIComponent(d.target)}` +
    `?from=${encodeURIComponent(d.from)}&to=${encodeURIComponent(d.to)}`;
  try {
    const body = await getJSON(path);
    drawTimeline(body);
    $("timeline-note").textContent = `updated ${new Date().toLocaleTimeString()} · ${path}`;
  } catch (e) {
    $("timeline-note").textContent = `not updated: ${e.message}`;
  }
}

function drawTimeline(body) {
  const days = body.days || [];
  const goldSum = days.reduce((s, p) => s + p.goldstein_sum, 0);
  $("timeline-title").textContent =
    `${body.source} → ${body.target}, ${body.from} … ${body.to}: ${body.total_events} events, Goldstein sum ${goldSum.toFixed(1)}`;
  const W = 640, H = 300, L = 34, R = 40, T = 22, B = 28;
  const n = Math.max(days.length, 1);
  const innerW = W - L - R, innerH = H - T - B;
  const maxCount = Math.max(1, ...days.map((p) => p.events));
  const maxAbsGold = Math.max(1, ...days.map((p) => Math.abs(p.goldstein_sum)));
  const slot = innerW / n, barW = Math.max(1, slot * 0.75);
  const y = (count) => T + innerH - (count / maxCount) * innerH;
  const yg = (g) => T + innerH / 2 - (g / maxAbsGold) * (innerH / 2);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "events per day by quad class" });
  const grid = svg("g", { class: "grid" });
  const axis = svg("g", { class: "axis" });
  for (const t of [0, 0.5, 1]) {
    const value = Math.round(maxCount * t);
    grid.append(svg("line", { x1: L, x2: W - R, y1: y(value), y2: y(value) }));
    axis.append(svg("text", { x: L - 4, y: y(value) + 3, "text-anchor": "end" }, value));
  }
  for (const g of [maxAbsGold, 0, -maxAbsGold]) {
    axis.append(svg("text", { x: W - R + 4, y: yg(g) + 3, fill: "var(--gold)" }, g.toFixed(0)));
  }
  axis.append(svg("text", { x: 2, y: 10 }, "events per day"));
  axis.append(svg("text", { x: W - 2, y: 10, "text-anchor": "end", fill: "var(--gold)" }, "Goldstein sum"));
  root.append(grid, axis);
  const bars = svg("g", { class: "bars" });
  const points = [];
  days.forEach((p, i) => {
    const x = L + i * slot + (slot - barW) / 2;
    let stacked = 0;
    for (const [q, label, color] of QUADS) {
      const count = Number((p.by_quad || {})[String(q)] || 0);
      if (!count) continue;
      const rect = svg("rect", { x, y: y(stacked + count), width: barW, height: y(stacked) - y(stacked + count),
                                 fill: color, "data-date": p.date, "data-quad": q });
      rect.append(svg("title", {}, `${p.date}: ${count} ${label}`));
      bars.append(rect);
      stacked += count;
    }
    points.push([L + i * slot + slot / 2, yg(p.goldstein_sum), p]);
  });
  root.append(bars);
  root.append(svg("line", { x1: L, x2: W - R, y1: yg(0), y2: yg(0), stroke: "var(--gold)", "stroke-dasharray": "2 3",
                            "stroke-opacity": 0.5 }));
  const active = points.filter(([, , p]) => p.events > 0);
  if (active.length) {
    root.append(svg("polyline", { points: active.map(([px, py]) => `${px},${py}`).join(" "), fill: "none",
                                  stroke: "var(--gold)", "stroke-width": 1.5 }));
    for (const [px, py, p] of active) {
      const dot = svg("circle", { cx: px, cy: py, r: 2.5, fill: "var(--gold)" });
      dot.append(svg("title", {}, `${p.date}: Goldstein sum ${p.goldstein_sum}`));
      root.append(dot);
    }
  }
  const labels = svg("g", { class: "axis" });
  const every = Math.max(1, Math.ceil(n / 6));
  days.forEach((p, i) => {
    if (i % every === 0 || i === n - 1) {
      labels.append(svg("text", { x: L + i * slot + slot / 2, y: H - 10, "text-anchor": "middle" }, p.date.slice(5)));
    }
  });
  root.append(labels);
  const chart = $("timeline");
  chart.replaceChildren(root);
}

function drawLegend() {
  const legend = $("timeline-legend");
  for (const [, label, color] of QUADS) {
    const swatch = el("i", {});
    swatch.style.background = color;
    legend.append(el("span", {}, swatch, label));
  }
  const line = el("i", {});
  line.style.background = "var(--gold)";
  line.style.height = "2px";
  legend.append(el("span", {}, line, "Goldstein sum per day"));
}

// --- stories --------------------------------------------------------------------------------------

async function refreshStories() {
  const tbody = $("stories").querySelector("tbody");
  try {
    const body = await getJSON("/stories?limit=15");
    tbody.replaceChildren(...(body.stories || []).map((s) => {
      const target = s.target_code || s.target_country;
      const dyad = target ? `${s.source_code || s.source_country} → ${target}` : (s.source_code || s.source_country);
      return el("tr", { "data-story-id": s.story_id },
        el("td", { class: "num" }, s.mention_count),
        el("td", {}, s.event_date || ""),
        el("td", {}, dyad || ""),
        el("td", {}, el("span", { class: "code" }, s.cameo_code), " ", s.cameo_name, " · ", s.plover_event),
        el("td", {}, (s.publishers || "").split(";").join(", ")),
        el("td", {}, s.last_seen ? s.last_seen.slice(0, 16).replace("T", " ") : ""));
    }));
    $("stories-note").textContent = body.count ? `top ${body.count}` : "none yet";
  } catch (e) {
    $("stories-note").textContent = `not updated: ${e.message}`;
  }
}

// --- start ----------------------------------------------------------------------------------------

function start() {
  drawLegend();
  $("dyad-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const source = $("dyad-source").value.trim().toUpperCase();
    const target = $("dyad-target").value.trim().toUpperCase();
    const to = $("dyad-to").value || isoDay(new Date());
    const from = $("dyad-from").value || addDays(to, -(DEFAULT_DAYS - 1));
    if (source && target) setDyad(source, target, from, to);
  });
  const params = new URLSearchParams(window.location.search);
  if (params.get("source") && params.get("target")) {
    const to = params.get("to") || isoDay(new Date());
    setDyad(params.get("source").toUpperCase(), params.get("target").toUpperCase(),
            params.get("from") || addDays(to, -(DEFAULT_DAYS - 1)), to);
  }
  const every = (fn, ms) => { fn(); setInterval(fn, ms); };
  every(refreshHealth, HEALTH_EVERY_MS);
  every(refreshFeed, FEED_EVERY_MS);
  every(refreshStories, STORIES_EVERY_MS);
  setInterval(refreshTimeline, TIMELINE_EVERY_MS);
}

start();
