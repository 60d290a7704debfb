// briefing's offline search. search/index.js defines window.BRIEFING_SEARCH (the list of
// monthly shards, newest first); each shard file calls briefingSearchShard(name, data). Shards are loaded
// with <script> tags, which also works when the site is opened from disk.
(function () {
  "use strict";
  var manifest = window.BRIEFING_SEARCH;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!manifest || !input || !list) { return; }
  var base = document.currentScript.src.replace(/search\.js(\?.*)?$/, "");
  var root = base; // search.js sits at the site root
  var shards = {};
  var requested = false;
  var stop = {};
  manifest.stopwords.forEach(function (w) { stop[w] = true; });

  window.briefingSearchShard = function (name, data) {
    data.keys = Object.keys(data.words);
    shards[name] = data;
    run();
  };

  function add(name, then) {
    var s = document.createElement("script");
    s.src = root + "search/" + name + ".js";
    if (then) { s.onload = then; }
    document.body.appendChild(s);
  }

  // The newest month first, so that the first results show at once; then all the others.
  function load() {
    if (requested || !manifest.shards.length) { return; }
    requested = true;
    add(manifest.shards[0], function () {
      manifest.shards.slice(1).forEach(function (name) { add(name); });
    });
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function terms(query) {
    return fold(query).split(/[^a-z0-9]+/).filter(function (w) {
      return w.length >= manifest.min_word && !stop[w];
    });
  }

  function decode(postings) {
    var out = [], n = 0;
    postings.split(",").forEach(function (gap) { n += parseInt(gap, 36); out.push(n); });
    return out;
  }

  // Documents of a shard containing a word starting with `term`.
  function matches(shard, term) {
    var found = {};
    for (var i = 0; i < shard.keys.length; i++) {
      var key = shard.keys[i];
      if (key.lastIndexOf(term, 0) === 0) {
        decode(shard.words[key]).forEach(function (d) { found[d] = true; });
      }
    }
    return found;
  }

  function search(query) {
    var ts = terms(query), results = [];
    if (!ts.length) { return results; }
    manifest.shards.forEach(function (name) {
      var shard = shards[name];
      if (!shard) { return; }
      var hits = null;
      ts.forEach(function (t) {
        var m = matches(shard, t);
        if (hits === null) { hits = m; return; }
        Object.keys(hits).forEach(function (d) { if (!m[d]) { delete hits[d]; } });
      });
      Object.keys(hits || {}).forEach(function (d) {
        var doc = shard.docs[d];
        var title = fold(doc[0]);
        var inTitle = ts.every(function (t) { return title.indexOf(t) !== -1; });
        results.push({ doc: doc, rank: inTitle ? 0 : 1 });
      });
    });
    results.sort(function (a, b) {
      return a.rank - b.rank || (a.doc[2] < b.doc[2] ? 1 : a.doc[2] > b.doc[2] ? -1 : 0);
    });
    return results.slice(0, 50);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function run() {
    var query = input.value.trim();
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    var results = search(query);
    var loading = manifest.shards.some(function (n) { return !shards[n]; });
    status.textContent = results.length + (results.length === 1 ? " result" : " results") + (loading ? " so far…" : "");
    results.forEach(function (r) {
      var li = el("li", "search-result");
      var a = el("a", null, r.doc[0]);
      a.href = root + r.doc[1];
      var h = el("h2", "story-title");
      h.appendChild(a);
      li.appendChild(h);
      var meta = el("p", "meta");
      var time = el("time", null, r.doc[5]);
      time.setAttribute("datetime", r.doc[2]);
      meta.appendChild(time);
      if (r.doc[3]) { meta.appendChild(document.createTextNode(" · " + r.doc[3])); }
      li.appendChild(meta);
      if (r.doc[4].length) {
        var bullets = el("ul", "summary");
        r.doc[4].forEach(function (b) { bullets.appendChild(el("li", null, b)); });
        li.appendChild(bullets);
      }
      list.appendChild(li);
    });
  }

  input.addEventListener("input", function () { load(); run(); });
  input.form.addEventListener("submit", function (e) { e.preventDefault(); load(); run(); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; load(); }
})();
