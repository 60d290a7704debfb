// briefing's offline search. search/index.js defines window.BRIEFING_SEARCH, the manifest:
// the chunk keys, the number of documents, the months (for recency) and the tokenizer's
// settings. A query loads, with <script> tags (which also work when the site is opened from
// disk), the chunks of postings of its words — search/t/<key>.js calls
// briefingSearchChunk(key, [word, gaps, weights, …]) — ranks the documents that hold every
// word, then loads the fragments of the results on screen — search/f/<block>.js calls
// briefingSearchFragments(block, [[title, url, date, date shown, topic, [bullets], text], …]).
// Index data is only ever put in the page as text (textContent, text nodes): a title with
// markup in it shows the markup.
(function () {
  "use strict";
  var manifest = window.BRIEFING_SEARCH;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!manifest || !input || !list || !status) { return; }
  var root = document.currentScript.src.replace(/search\.js(\?.*)?$/, "");
  var PAGE = 10;
  var keys = manifest.chunks ? manifest.chunks.split(" ") : [];
  // Chunk sizes in KiB, uncompressed; a query loads at most BUDGET of chunks for the words a
  // prefix could be (the words it could be itself are always loaded).
  var BUDGET = 640;
  var sizeOf = {};
  (manifest.sizes || "").split(" ").forEach(function (kb, i) { sizeOf[keys[i]] = parseInt(kb, 36) || 0; });
  var stop = {};
  manifest.stopwords.forEach(function (w) { stop[w] = true; });
  var newestMonth = manifest.months.length ? monthNumber(manifest.months[manifest.months.length - 1][0]) : 0;

  // Files: "t/<key>" or "f/<block>" → true once loaded; callbacks waiting for them.
  var loaded = {}, waiting = {}, chunks = {}, fragments = {};
  var failed = false;

  // A chunk is kept as it came, [word, gaps, weights, …]: its postings are decoded only when
  // a query's word starts the word.
  window.briefingSearchChunk = function (key, flat) {
    chunks[key] = flat;
    arrived("t/" + key);
  };
  window.briefingSearchFragments = function (block, docs) {
    fragments[block] = docs;
    arrived("f/" + block);
  };

  function arrived(name) {
    loaded[name] = true;
    var then = waiting[name] || [];
    delete waiting[name];
    then.forEach(function (f) { f(); });
  }

  function load(name, then) {
    if (loaded[name]) { then(); return; }
    if (waiting[name]) { waiting[name].push(then); return; }
    waiting[name] = [then];
    var s = document.createElement("script");
    s.src = root + "search/" + name + ".js";
    s.onerror = function () { failed = true; arrived(name); };
    document.head.appendChild(s);
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The query's words as the index holds them (folded, long enough, not stop words).
  function terms(query) {
    var seen = {};
    return fold(query).split(/[^a-z0-9]+/).filter(function (w) {
      var ok = w.length >= manifest.min_word && !stop[w] && !seen[w];
      seen[w] = true;
      return ok;
    });
  }

  // Whether chunk `k` may hold words that start with `term`: its key starts with the term, or
  // the term starts with its key (a key ending in "_" holds exactly one word).
  function holds(k, term) {
    var exact = k.charAt(k.length - 1) === "_";
    var base = exact ? k.slice(0, -1) : k;
    return base.lastIndexOf(term, 0) === 0 || (!exact && term.lastIndexOf(base, 0) === 0);
  }

  function chunksFor(term) {
    return keys.filter(function (k) { return holds(k, term); });
  }

  // The chunks to load for terms `ts`: those that may hold a term itself, then the other
  // chunks of words starting with a term, smallest first, within the budget. `partial` lists
  // the terms whose longer words were not all loaded.
  function plan(ts) {
    var chosen = {}, total = 0, rest = [], partial = [];
    ts.forEach(function (t) {
      chunksFor(t).forEach(function (k) {
        var exact = k.charAt(k.length - 1) === "_", base = exact ? k.slice(0, -1) : k;
        var own = exact ? base === t : t.lastIndexOf(base, 0) === 0;
        if (own) {
          if (!chosen[k]) { chosen[k] = true; total += sizeOf[k] || 0; }
        } else {
          rest.push({ key: k, term: t });
        }
      });
    });
    rest.sort(function (a, b) { return (sizeOf[a.key] || 0) - (sizeOf[b.key] || 0); });
    rest.forEach(function (r) {
      if (chosen[r.key] || loaded["t/" + r.key]) { chosen[r.key] = true; return; }
      if (total + (sizeOf[r.key] || 0) <= BUDGET) {
        chosen[r.key] = true;
        total += sizeOf[r.key] || 0;
      } else if (partial.indexOf(r.term) < 0) {
        partial.push(r.term);
      }
    });
    return { keys: Object.keys(chosen), partial: partial };
  }

  // Adds chunk `key`'s words that start with `term` to `scores`: per document, the best
  // score of such a word, BM25-like — the word's inverse document frequency times the
  // document's weight for it (title counts most); a longer word than the one typed counts a
  // little less than the word itself. Postings are decoded from the strings directly (no
  // split: dense words have 100,000 of them), each chunk as it arrives, while the others are
  // still on their way.
  function addChunk(scores, term, key) {
    var flat = chunks[key] || [], n = manifest.docs;
    for (var e = 0; e + 2 < flat.length; e += 3) {
      var word = flat[e];
      if (word.lastIndexOf(term, 0) !== 0) { continue; }
      var gaps = flat[e + 1], weights = flat[e + 2], df = weights.length;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      var factor = (word === term ? 1 : 0.8) * idf / manifest.max_weight;
      var doc = 0, gap = 0, j = 0;
      for (var i = 0; i <= gaps.length; i++) {
        var c = i < gaps.length ? gaps.charCodeAt(i) : 44;
        if (c !== 44) { gap = gap * 36 + (c <= 57 ? c - 48 : c - 87); continue; }
        doc += gap;
        gap = 0;
        var w = weights.charCodeAt(j++);
        var s = factor * (w <= 57 ? w - 48 : w - 87);
        if (s > scores[doc]) { scores[doc] = s; }
      }
    }
  }

  function monthNumber(ym) { return Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1; }

  // Documents holding every term (`per`: each term's scores, the first overwritten with the
  // totals), ranked by relevance raised by up to 30 % for the newest (a raise that halves
  // every six months); ties go to the newer document. One pass over the documents counts the
  // matches and keeps the first page (a candidate is compared with the page's last score and
  // is seldom inserted); the whole list is sorted only when more is asked for.
  function rank(per) {
    var months = manifest.months, total = per[0], terms = per.length, count = 0;
    var top = [], topScore = [], min = 0;
    for (var m = 0; m < months.length; m++) {
      var end = m + 1 < months.length ? months[m + 1][1] : manifest.docs;
      var boost = 1 + 0.3 * Math.pow(0.5, (newestMonth - monthNumber(months[m][0])) / 6);
      for (var doc = months[m][1]; doc < end; doc++) {
        var s = total[doc];
        if (!s) { continue; }
        for (var t = 1; t < terms; t++) {
          var x = per[t][doc];
          if (!x) { s = 0; break; }
          s += x;
        }
        s *= boost;
        total[doc] = s;
        if (!s) { continue; }
        count++;
        if (s < min) { continue; }
        // Scanning oldest first, a document ties with an equal score above it by going first.
        var j = top.length < PAGE ? top.length : PAGE - 1;
        while (j > 0 && topScore[j - 1] <= s) { top[j] = top[j - 1]; topScore[j] = topScore[j - 1]; j--; }
        top[j] = doc;
        topScore[j] = s;
        if (top.length === PAGE) { min = topScore[PAGE - 1]; }
      }
    }
    return { count: count, top: top, scores: total, all: null };
  }

  // Documents ranked `from` to `to` (exclusive).
  function ranked(r, from, to) {
    to = Math.min(to, r.count);
    if (to <= r.top.length) { return r.top.slice(from, to); }
    if (!r.all) {
      var scores = r.scores, all = [];
      for (var doc = 0; doc < scores.length; doc++) { if (scores[doc]) { all.push(doc); } }
      r.all = all.sort(function (a, b) { return scores[b] - scores[a] || b - a; });
    }
    return r.all.slice(from, to);
  }

  // Appends `text` to `parent`, each word that starts with a query term in a <mark>.
  function highlight(parent, text, ts) {
    var re = /[\p{L}\p{N}]+/gu, last = 0, m;
    while ((m = re.exec(text))) {
      var w = fold(m[0]).replace(/[^a-z0-9]/g, "");
      var hit = ts.some(function (t) { return w.lastIndexOf(t, 0) === 0; });
      if (!hit) { continue; }
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  // The part of `text` around its first matched word, cut at word boundaries.
  function snippet(text, ts) {
    var re = /[\p{L}\p{N}]+/gu, m, at = -1;
    while ((m = re.exec(text))) {
      var w = fold(m[0]).replace(/[^a-z0-9]/g, "");
      if (ts.some(function (t) { return w.lastIndexOf(t, 0) === 0; })) { at = m.index; break; }
    }
    if (at < 0) { return null; }
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + 200);
    if (start > 0) { start = text.indexOf(" ", start) + 1 || start; }
    if (end < text.length) { end = text.lastIndexOf(" ", end) > at ? text.lastIndexOf(" ", end) : end; }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function el(tag, cls) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    return e;
  }

  function render(doc, ts) {
    var d = fragments[Math.floor(doc / manifest.block)][doc % manifest.block];
    var li = el("li", "search-result");
    var h = el("h2", "story-title"), a = el("a");
    a.href = root + d[1];
    highlight(a, d[0], ts);
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "meta");
    if (d[2]) {
      var time = el("time");
      time.setAttribute("datetime", d[2]);
      time.textContent = d[3];
      meta.appendChild(time);
    }
    if (d[4]) { meta.appendChild(document.createTextNode((d[2] ? " · " : "") + d[4])); }
    li.appendChild(meta);
    if (d[5].length) {
      var ul = el("ul", "summary");
      d[5].forEach(function (bullet) {
        var item = el("li");
        highlight(item, bullet, ts);
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    var text = snippet(d[6], ts);
    if (text) {
      var p = el("p", "search-snippet");
      highlight(p, text, ts);
      li.appendChild(p);
    }
    return li;
  }

  var seq = 0, current = null, timer = null;
  var more = el("button", "search-more");
  more.type = "button";
  more.textContent = "Show more results";
  more.hidden = true;
  list.parentNode.insertBefore(more, list.nextSibling);

  function say(text) { status.textContent = text; }

  function quoted(query) { return "\u201c" + query + "\u201d"; }

  function run() {
    var query = input.value.trim(), my = ++seq;
    if (!query) { list.textContent = ""; more.hidden = true; say(""); current = null; return; }
    var ts = terms(query);
    if (!ts.length) {
      list.textContent = "";
      more.hidden = true;
      say("No results for " + quoted(query) + ": search words need at least " + manifest.min_word +
        " letters, and very common words are not indexed.");
      return;
    }
    var p = plan(ts), left = p.keys.length;
    var per = ts.map(function () { return new Float64Array(manifest.docs); });
    function chunkIn(key) {
      if (my !== seq) { return; }
      ts.forEach(function (t, i) { if (holds(key, t)) { addChunk(per[i], t, key); } });
      if (--left === 0) { ready(); }
    }
    function ready() {
      if (my !== seq) { return; }
      current = { query: query, terms: ts, results: rank(per), shown: 0, partial: p.partial };
      list.textContent = "";
      if (!current.results.count) {
        more.hidden = true;
        say("No results for " + quoted(query) + "." + (failed ? " Part of the search index could not be loaded." : "") +
          (p.partial.length ? " Many words start with " + p.partial.map(quoted).join(", ") +
            ": only some were searched; type more letters for all." : ""));
        return;
      }
      showPage(my);
    }
    if (!left) { ready(); return; }
    p.keys.forEach(function (k) { load("t/" + k, function () { chunkIn(k); }); });
  }

  // Shows the next page of results; `focus` moves the keyboard focus to its first link. The
  // page's fragments are asked for in rank order, all at once, and each result is shown as
  // soon as it and those above it have arrived: the first result does not wait for the tenth.
  function showPage(my, focus) {
    var c = current, page = ranked(c.results, c.shown, c.shown + PAGE), next = 0, done = false;
    more.hidden = true;
    function blockOf(doc) { return Math.floor(doc / manifest.block); }
    function flush() {
      if (done || my !== seq || c !== current) { return; }
      while (next < page.length && loaded["f/" + blockOf(page[next])]) {
        var doc = page[next++];
        if (!fragments[blockOf(doc)]) { continue; }
        var li = render(doc, c.terms);
        list.appendChild(li);
        if (focus) { li.querySelector("a").focus(); focus = false; }
      }
      if (next < page.length) { return; }
      done = true;
      c.shown += page.length;
      var n = c.results.count;
      say(n + (n === 1 ? " result" : " results") + " for " + quoted(c.query) +
        (n > c.shown ? ", showing the first " + c.shown : "") + "." +
        (failed ? " Part of the search index could not be loaded." : "") +
        (c.partial.length ? " Many words start with " + c.partial.map(quoted).join(", ") +
          ": these results cover some of them; type more letters for all." : ""));
      more.hidden = n <= c.shown;
    }
    if (!page.length) { flush(); return; }
    page.forEach(function (doc) { load("f/" + blockOf(doc), flush); });
  }

  // Keyboard users continue from the first new result.
  more.addEventListener("click", function () { if (current) { showPage(seq, true); } });

  // Arrow keys move between the input and the results' links; Escape goes back to the input.
  function links() { return Array.prototype.slice.call(list.querySelectorAll(".story-title a")); }
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
  });
  list.addEventListener("keydown", function (e) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (i < 0) { return; }
    if (e.key === "ArrowDown" && i + 1 < all.length) { e.preventDefault(); all[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });

  // While keys come fast, a short pause after each, so that typing a word does not fetch the
  // chunks of every prefix on the way; a first keystroke or a pasted query runs at once.
  var lastInput = 0;
  input.addEventListener("input", function () {
    var now = Date.now(), typing = now - lastInput < 150;
    lastInput = now;
    clearTimeout(timer);
    if (typing) { timer = setTimeout(run, 80); } else { run(); }
  });
  input.form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; run(); }
})();
