/* saidwhen web page: search, filters, an interactive timeline and statement cards with their evidence.
 *
 * Safety rule: every piece of data (article text, titles, names, urls) reaches the page as a text node or
 * an attribute set through the DOM. Nothing from the API is ever assigned to innerHTML. */
"use strict";

(function () {
  const PAGE = 50;
  const TIMELINE_PAGE = 150; // timeline items per request (about: the API pages by whole dates)
  const TIMELINE_MAX_PAGES = 20;
  const state = { q: "", speaker: "", since: "", until: "", offset: 0, active: null };
  let timeline = null;
  let timelineItems = null;
  let listToken = 0;
  let timelineToken = 0;

  // ---- DOM helpers -------------------------------------------------------------------------------

  const $ = (sel) => document.querySelector(sel);

  /** Build an element; string/number children become text nodes, never markup. */
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "onclick") node.addEventListener("click", value);
      else if (key.startsWith("on")) throw new Error("use addEventListener");
      else node.setAttribute(key, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function isWebUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  /** A link only for http(s) urls; anything else (javascript:, data:) is shown as plain text. */
  function safeLink(url, label) {
    if (isWebUrl(url)) {
      return h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label || url);
    }
    return label ? document.createTextNode(label) : null;
  }

  function shorten(text, width) {
    const t = String(text || "").replace(/\s+/g, " ").trim();
    return t.length <= width ? t : t.slice(0, width - 1) + "…";
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  // Offsets from the API count Unicode code points (Python); JavaScript strings count UTF-16 units.
  function codePoints(text) {
    return /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : null;
  }
  function cpSlice(text, cps, start, end) {
    return cps ? cps.slice(start, end).join("") : text.slice(start, end);
  }

  // ---- API ---------------------------------------------------------------------------------------

  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== "" && v !== null && v !== undefined) url.searchParams.set(k, String(v));
    }
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const body = await response.json();
        detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      } catch (_) { /* not JSON */ }
      throw new Error(`${response.status}: ${detail}`);
    }
    return response.json();
  }

  function filters() {
    return { speaker: state.speaker, since: state.since, until: state.until };
  }

  // ---- header, speakers --------------------------------------------------------------------------

  async function loadStats() {
    try {
      const s = await api("/api/stats");
      const span = s.published_first ? ` · ${s.published_first} – ${s.published_last}` : "";
      $("#stats").textContent =
        `${plural(s.documents, "article")} · ${plural(s.statements, "statement")} · ` +
        `${plural(s.speakers, "speaker")} · ${plural(s.claims, "claim")}${span}`;
    } catch (err) {
      $("#stats").textContent = `API unavailable (${err.message})`;
    }
  }

  async function loadSpeakers() {
    const select = $("#speaker");
    try {
      const speakers = await api("/api/speakers", { limit: 1000 });
      for (const s of speakers) {
        const label = `${s.name} (${s.count})`;
        const known = Array.from(select.options).find((o) => o.value === s.name);
        if (known) known.textContent = label;  // the speaker a shared link named, added before the list came
        else select.append(h("option", { value: s.name }, label));
      }
    } catch (_) { /* the filter stays at "everyone" */ }
    if (state.speaker) select.value = state.speaker;
  }

  // ---- the result list ---------------------------------------------------------------------------

  function statementCard(st) {
    const who = st.speaker || `unattributed (${st.speaker_mention || "unknown"})`;
    const n = st.reports || 1;
    const reports = h("span", { class: "badge", hidden: n < 2 }, `${n} reports`);
    const data = { id: st.id, reports: String(n) };
    if (st.merged_id) data.merged = st.merged_id;
    const card = h(
      "button",
      { type: "button", class: "card statement", dataset: data },
      h("span", { class: "meta" },
        h("time", {}, st.date || "undated"),
        h("span", { class: "who" }, who),
        h("span", {}, st.outlet || ""),
        reports),
      h("p", { class: "said" }, st.kind === "direct" ? `“${st.text}”` : st.text),
    );
    card.addEventListener("click", () => openStatement(st.id));
    return h("li", {}, card);
  }

  function articleCard(doc) {
    const card = h(
      "button",
      { type: "button", class: "card article", dataset: { doc: doc.id } },
      h("span", { class: "meta" },
        h("span", { class: "badge doc" }, "article"),
        h("time", {}, doc.published || "undated"),
        h("span", {}, doc.outlet || "")),
      h("p", { class: "said" }, h("strong", {}, doc.title || "(untitled)"), " — ", shorten(doc.snippet || "", 220)),
    );
    card.addEventListener("click", () => openDocument(doc.id));
    return h("li", {}, card);
  }

  async function loadList(append_) {
    const token = ++listToken;
    const list = $("#results");
    const more = $("#more");
    if (!append_) {
      state.offset = 0;
      clear(list);
    }
    $("#list-head").textContent = "Loading…";
    try {
      let page;
      if (state.q) {
        page = await api("/api/search", { q: state.q, ...filters(), limit: PAGE, offset: state.offset });
      } else {
        page = await api("/api/statements", { ...filters(), limit: PAGE, offset: state.offset });
      }
      if (token !== listToken) return;
      for (const row of page.items) {
        if (row.type === "document") {
          list.append(articleCard(row));
          continue;
        }
        // the reports of one statement by several outlets are one card
        const seen = row.merged_id ? list.querySelector(`.card[data-merged="${CSS.escape(row.merged_id)}"]`) : null;
        if (seen) {
          const n = Number(seen.dataset.reports || 1) + (row.reports || 1);
          seen.dataset.reports = String(n);
          seen.querySelector(".badge").textContent = `${n} reports`;
          seen.querySelector(".badge").hidden = false;
          continue;
        }
        list.append(statementCard(row));
      }
      const shown = list.querySelectorAll(".card").length;
      const what = state.q ? `match “${state.q}”` : "statements, oldest first";
      $("#list-head").textContent = shown ? `${shown}${page.next_offset !== null ? "+" : ""} ${what}` : "";
      if (!shown) list.append(h("li", { class: "empty" }, "Nothing matches these filters."));
      more.hidden = page.next_offset === null;
      state.offset = page.next_offset || state.offset;
      markActive();
    } catch (err) {
      if (token !== listToken) return;
      $("#list-head").textContent = `Could not load: ${err.message}`;
      more.hidden = true;
    }
  }

  function markActive() {
    for (const card of document.querySelectorAll(".card")) {
      card.classList.toggle("active", card.dataset.id === state.active || card.dataset.doc === state.active);
    }
  }

  // ---- the timeline ------------------------------------------------------------------------------

  function showTimelineNotice(text) {
    const notice = $("#timeline-notice");
    notice.textContent = text;
    notice.hidden = !text;
  }

  function timelineContent(item) {
    return h("span", {},
      h("span", { class: "tl-who" }, item.speaker || "unattributed"), ": ", shorten(item.text, 60),
      item.reported_by > 1 ? ` (${item.reported_by} outlets)` : "");
  }

  /** The dated items of one timeline page, as vis-timeline items. */
  function timelineEntries(data) {
    const items = [];
    for (const day of data.dates) {
      if (!day.date) continue;
      for (const group of day.groups) {
        for (const it of group.items) {
          items.push({
            id: it.statement_id,
            start: day.date,
            content: timelineContent(it),
            className: it.reported_by > 1 ? "reported" : "",
          });
        }
      }
    }
    return items;
  }

  function showTimelineItems(items, replace) {
    if (!timeline) {
      timelineItems = new window.vis.DataSet(items);
      timeline = new window.vis.Timeline($("#timeline"), timelineItems, {
        height: "190px",
        stack: true,
        zoomable: true,
        moveable: true,
        selectable: true,
        showCurrentTime: false,
        zoomMin: 1000 * 60 * 60 * 24 * 3,
        margin: { item: 4, axis: 4 },
        orientation: { axis: "bottom", item: "bottom" },
        tooltip: { followMouse: false },
        xss: { disabled: false },
      });
      timeline.on("select", (props) => {
        if (props.items && props.items.length) openStatement(String(props.items[0]));
      });
      return;
    }
    if (replace) timelineItems.clear();
    timelineItems.add(items);
  }

  /** The timeline page by page (the API pages it by whole dates), up to TIMELINE_MAX_PAGES pages; a newer
   * call (the filters changed) stops an older one. */
  async function loadTimeline() {
    if (!window.vis || !window.vis.Timeline || !window.vis.DataSet) {
      $("#timeline").hidden = true;
      showTimelineNotice("The interactive timeline is not available (its vendored bundle is missing: run " +
        "scripts/vendor-web.sh). Search and statements work as usual.");
      return;
    }
    const token = ++timelineToken;
    const box = $("#timeline");
    let offset = 0;
    let pages = 0;
    let dates = 0;
    let shown = 0;
    let total = 0;
    while (offset !== null && pages < TIMELINE_MAX_PAGES) {
      let data;
      try {
        data = await api("/api/timeline", { ...filters(), topic: state.q, per_date: 3, limit: TIMELINE_PAGE, offset });
      } catch (err) {
        if (token === timelineToken) showTimelineNotice(`Could not load the timeline: ${err.message}`);
        return;
      }
      if (token !== timelineToken) return;
      const items = timelineEntries(data);
      if (items.length) {
        box.hidden = false;
        showTimelineNotice("");
        showTimelineItems(items, shown === 0); // the first items replace the last filters' ones
        timeline.redraw(); // it may have been hidden while empty
        if (shown === 0) timeline.fit({ animation: false });
      }
      pages += 1;
      shown += items.length;
      dates += data.dates.filter((d) => d.date).length;
      total = data.page.dates_total;
      offset = data.page.next_offset;
      box.dataset.items = String(shown);
    }
    if (token !== timelineToken) return;
    box.hidden = !shown;
    if (!shown) {
      if (timelineItems) timelineItems.clear();
      box.dataset.items = "0";
      showTimelineNotice("No dated statements for these filters.");
      return;
    }
    timeline.fit({ animation: false });
    showTimelineNotice(offset === null ? "" :
      `The timeline shows the first ${dates} dates of ${total}: narrow the filters or the dates to see the rest.`);
  }

  // ---- details: a statement with its evidence ----------------------------------------------------

  const docCache = new Map();

  async function getDocument(id) {
    if (!docCache.has(id)) {
      docCache.set(id, api(`/api/documents/${encodeURIComponent(id)}`));
    }
    try {
      return await docCache.get(id);
    } catch (err) {
      docCache.delete(id);
      throw err;
    }
  }

  /** The paragraph around [start, end) with the statement marked; every part a text node. */
  function sourceParagraph(text, start, end) {
    const cps = codePoints(text);
    const length = cps ? cps.length : text.length;
    start = Math.max(0, Math.min(start, length));
    end = Math.max(start, Math.min(end, length));
    const flat = cps ? null : text;
    let from;
    let to;
    if (flat !== null) {
      const before = flat.lastIndexOf("\n\n", start - 1);
      from = before < 0 ? 0 : before + 2;
      const after = flat.indexOf("\n\n", end);
      to = after < 0 ? flat.length : after;
    } else {
      from = 0;
      to = length;
      for (let i = start - 1; i > 0; i--) if (cps[i] === "\n" && cps[i - 1] === "\n") { from = i + 1; break; }
      for (let i = end; i < length - 1; i++) if (cps[i] === "\n" && cps[i + 1] === "\n") { to = i; break; }
    }
    const cutBefore = from < start - 700;
    const cutAfter = to > end + 700;
    from = Math.max(from, start - 700);
    to = Math.min(to, end + 700);
    const mark = h("mark", { class: "evidence" }, cpSlice(text, cps, start, end));
    return h("p", { class: "source" },
      cutBefore ? "… " : "", cpSlice(text, cps, from, start), mark, cpSlice(text, cps, end, to),
      cutAfter ? " …" : "");
  }

  async function showSource(box, st) {
    clear(box).append(h("p", { class: "meta" }, "Loading the source…"));
    try {
      const doc = await getDocument(st.document_id);
      const para = sourceParagraph(doc.text, st.start, st.end);
      clear(box).append(
        h("p", { class: "meta" },
          safeLink(doc.url, doc.outlet || "source") || doc.outlet || "source",
          doc.published ? ` · ${doc.published}` : "",
          " · ", doc.title || "(untitled)", " · ",
          h("button", { type: "button", class: "linklike", onclick: () => openDocument(doc.id, st.id) }, "whole article"),
          h("span", { class: "sr" }, ` document ${doc.id}, characters ${st.start}–${st.end}`)),
        para,
      );
      const mark = para.querySelector("mark");
      if (mark) mark.scrollIntoView({ block: "nearest" });
    } catch (err) {
      clear(box).append(h("p", { class: "meta" }, `Could not load the source: ${err.message}`));
    }
  }

  async function openStatement(id) {
    state.active = id;
    markActive();
    if (window.location.hash !== `#statement=${encodeURIComponent(id)}`) {
      history.replaceState(null, "", `#statement=${encodeURIComponent(id)}`);
    }
    const pane = $("#detail");
    clear(pane).append(h("p", { class: "meta" }, "Loading…"));
    let st;
    try {
      st = await api(`/api/statements/${encodeURIComponent(id)}`);
    } catch (err) {
      clear(pane).append(h("p", { class: "meta" }, `Could not load the statement: ${err.message}`));
      return;
    }
    if (state.active !== id) return;
    if (timeline && timelineItems && timelineItems.get(st.id)) timeline.setSelection([st.id]);
    const who = st.speaker || "Unattributed";
    const mention = st.speaker_mention && st.speaker_mention !== st.speaker ? ` (“${st.speaker_mention}”)` : "";
    const dated = st.date ? `${st.date}${st.date_from === "text" ? " (date from the text)" : ""}` : "date unknown";
    const sourceBox = h("div", { class: "source-box" });
    clear(pane).append(
      h("article", { class: "statement-detail", dataset: { id: st.id } },
        h("h2", { class: "speaker" }, who, mention),
        h("p", { class: "meta" },
          h("time", {}, dated), ` · ${st.kind}${st.cue ? `, “${st.cue}”` : ""} · confidence ${Number(st.confidence).toFixed(2)}`,
          st.event ? ` · event: ${st.event.title}${st.event.place ? `, ${st.event.place}` : ""}` : ""),
        h("blockquote", { class: "quote" }, st.kind === "direct" ? `“${st.text}”` : st.text),
        h("h3", {}, "In the source"),
        sourceBox,
        reportsSection(st, sourceBox),
        claimSection(st)),
    );
    await showSource(sourceBox, st);
  }

  function reportsSection(st, sourceBox) {
    const reports = st.reports && st.reports.length ? st.reports : [st];
    const outlets = new Set(reports.map((r) => r.outlet).filter(Boolean));
    const n = outlets.size || reports.length;
    const list = h("ul", { class: "reports" });
    const pick = (r) => {
      for (const flag of list.querySelectorAll(".shown-flag")) flag.hidden = flag.dataset.report !== r.id;
      showSource(sourceBox, r);
    };
    for (const r of reports) {
      const show = h("button", { type: "button", class: "linklike", onclick: () => pick(r) },
        r.outlet || "unknown outlet");
      list.append(h("li", {},
        show, h("span", { class: "shown-flag", dataset: { report: r.id }, hidden: r.id !== st.id }, " (shown)"),
        " · ", r.date || "undated", " · ",
        r.kind === "direct" ? `“${shorten(r.text, 90)}”` : shorten(r.text, 90), " ",
        isWebUrl(r.url) ? safeLink(r.url, "↗") : null));
    }
    return h("section", { class: "reports-section" }, h("h3", {}, `Reported by ${plural(n, "outlet")}`), list);
  }

  function claimSection(st) {
    if (!st.claim) return null;
    const list = h("ol", { class: "history" });
    for (const r of st.claim.history) {
      const label = `${r.speaker || "unattributed"}: ${r.kind === "direct" ? `“${shorten(r.text, 110)}”` : shorten(r.text, 110)}`;
      list.append(h("li", { class: r.id === st.id ? "current" : "" },
        h("time", {}, r.date || "undated"),
        r.id === st.id ? label
          : h("button", { type: "button", class: "linklike", onclick: () => openStatement(r.id) }, label),
        r.outlet ? ` — ${r.outlet}` : ""));
    }
    return h("section", { class: "claim-section" },
      h("h3", {}, "Claim history"),
      h("p", { class: "meta" }, `“${st.claim.summary}” · ${plural(st.claim.history.length, "statement")} over time`),
      list);
  }

  // ---- details: a whole article with its statements marked ---------------------------------------

  async function openDocument(id, focusStatement) {
    state.active = focusStatement || id;
    markActive();
    const pane = $("#detail");
    clear(pane).append(h("p", { class: "meta" }, "Loading…"));
    let doc;
    try {
      doc = await getDocument(id);
    } catch (err) {
      clear(pane).append(h("p", { class: "meta" }, `Could not load the article: ${err.message}`));
      return;
    }
    const text = doc.text;
    const cps = codePoints(text);
    const length = cps ? cps.length : text.length;
    const body = h("p", { class: "source article-text" });
    let pos = 0;
    const spans = [...doc.statements].sort((a, b) => a.start - b.start);
    for (const st of spans) {
      if (st.start < pos || st.end > length) continue; // overlapping spans: the first one wins
      body.append(cpSlice(text, cps, pos, st.start));
      const mark = h("mark", { class: st.id === focusStatement ? "evidence" : "other", title: st.speaker || "unattributed" },
        cpSlice(text, cps, st.start, st.end));
      mark.addEventListener("click", () => openStatement(st.id));
      body.append(mark);
      pos = st.end;
    }
    body.append(cpSlice(text, cps, pos, length));
    clear(pane).append(
      h("article", { class: "document-detail", dataset: { doc: doc.id } },
        h("h2", {}, doc.title || "(untitled)"),
        h("p", { class: "meta" },
          safeLink(doc.url, doc.outlet || "source") || doc.outlet || "unknown outlet",
          ` · ${doc.published || "undated"} · ${plural(doc.statements.length, "statement")} marked · `,
          h("span", {}, doc.id)),
        body),
    );
    const focus = body.querySelector("mark.evidence");
    if (focus) focus.scrollIntoView({ block: "center" });
  }

  // ---- wiring ------------------------------------------------------------------------------------

  function readForm() {
    state.q = $("#q").value.trim();
    state.speaker = $("#speaker").value;
    state.since = $("#since").value;
    state.until = $("#until").value;
  }

  // The filters live in the page's query string (?q=…&speaker=…&since=…&until=…), so a filtered view is a
  // link to share; the hash keeps the open statement (#statement=…).
  const URL_FILTERS = ["q", "speaker", "since", "until"];

  function writeUrl() {
    const params = new URLSearchParams();
    for (const key of URL_FILTERS) if (state[key]) params.set(key, state[key]);
    const query = params.toString();
    const target = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
    if (target !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      history.replaceState(null, "", target);
    }
  }

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    $("#q").value = (params.get("q") || "").slice(0, 500);
    const speaker = params.get("speaker") || "";
    const select = $("#speaker");
    if (speaker && !Array.from(select.options).some((o) => o.value === speaker)) {
      select.append(h("option", { value: speaker }, speaker));
    }
    select.value = speaker;
    $("#since").value = params.get("since") || "";  // a date input drops what is not a date
    $("#until").value = params.get("until") || "";
  }

  function refresh() {
    readForm();
    writeUrl();
    loadList(false);
    loadTimeline();
  }

  function init() {
    $("#filters").addEventListener("submit", (event) => {
      event.preventDefault();
      refresh();
    });
    for (const sel of ["#speaker", "#since", "#until"]) $(sel).addEventListener("change", refresh);
    $("#reset").addEventListener("click", () => {
      $("#filters").reset();
      refresh();
    });
    $("#more").addEventListener("click", () => loadList(true));
    readUrl();
    loadStats();
    loadSpeakers();
    refresh();
    const match = /^#statement=(.+)$/.exec(window.location.hash);
    if (match) openStatement(decodeURIComponent(match[1]));
  }

  init();
})();
