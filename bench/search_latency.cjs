// What one search query costs a reader, in headless Chromium: the bytes transferred
// (gzip-compressed, as static hosts serve them) and the time from typing to the first
// result. The site is served by a small HTTP server started here on 127.0.0.1 that
// gzips every response and counts what it sends; `--file` opens the site from file://
// instead (latency only: no server, nothing to count).
//
// `--trace` adds, per query, the median phases seen in the page's resource timings: when the
// last chunk arrived, when the first fragment was asked for (the gap is parsing the chunks
// and ranking), when the last fragment arrived, and the first result (the gap is rendering).
//
// usage: node bench/search_latency.cjs PUBLIC_DIR [--runs N] [--file] [--trace] [QUERY ...]
// Needs playwright-core (NODE_PATH=../shared/tools/site-audit/node_modules) and
// /usr/bin/chromium (../shared/tools/site-audit/site-audit installs both on first use).
const fs = require("fs");
const http = require("http");
const path = require("path");
const zlib = require("zlib");
const { chromium } = require("playwright-core");

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
  ".xml": "application/xml", ".json": "application/json" };

function serve(dir, log) {
  const cache = new Map();
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) { rel += "index.html"; }
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404); res.end(); log.push({ path: rel, bytes: 0 }); return;
    }
    let body = cache.get(file);
    if (!body) { body = zlib.gzipSync(fs.readFileSync(file), { level: 6 }); cache.set(file, body); }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream",
      "content-encoding": "gzip", "content-length": body.length, "cache-control": "no-store" });
    res.end(body);
    log.push({ path: rel, bytes: body.length });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

async function query(browser, url, q) {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  // Measured in the page: from the input event to the first result in the list (the
  // browser-automation round trips are not part of what a reader waits for).
  await page.evaluate(() => {
    const input = document.getElementById("search-input");
    const list = document.getElementById("search-results");
    input.addEventListener("input", () => { if (!window.__t0) { window.__t0 = performance.now(); } }, true);
    new MutationObserver(() => {
      if (!window.__t1 && list.querySelector("li")) { window.__t1 = performance.now(); }
    }).observe(list, { childList: true });
    // The whole first page: results are shown as their fragments arrive, and the status line
    // gives the count once the page is complete.
    const status = document.getElementById("search-status");
    new MutationObserver(() => {
      if (!window.__t2 && /result/.test(status.textContent)) { window.__t2 = performance.now(); }
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });
  return page;
}

// In the page: the phases of the last query, in ms after its input event.
function phasesInPage() {
  const t0 = window.__t0, all = performance.getEntriesByType("resource").filter((e) => e.startTime >= t0 - 1);
  const of = (dir) => all.filter((e) => e.name.includes("/search/" + dir + "/"));
  const max = (es, k) => Math.round(Math.max(...es.map((e) => e[k])) - t0);
  const min = (es, k) => Math.round(Math.min(...es.map((e) => e[k])) - t0);
  const t = of("t"), f = of("f");
  return { chunksAsked: t.length ? min(t, "startTime") : 0, chunksIn: t.length ? max(t, "responseEnd") : 0,
    fragsAsked: f.length ? min(f, "startTime") : 0, fragsIn: f.length ? max(f, "responseEnd") : 0,
    first: Math.round(window.__t1 - t0) };
}

async function main() {
  const args = process.argv.slice(2);
  const dir = path.resolve(args.shift() || "public");
  let runs = 5, fromDisk = false, trace = false;
  const queries = [];
  while (args.length) {
    const a = args.shift();
    if (a === "--runs") { runs = Number(args.shift()); } else if (a === "--file") { fromDisk = true; } else if (a === "--trace") { trace = true; } else { queries.push(a); }
  }
  if (!queries.length) { queries.push("lithium"); }
  const log = [];
  const server = fromDisk ? null : await serve(dir, log);
  const url = fromDisk ? "file://" + path.join(dir, "search", "index.html")
    : `http://127.0.0.1:${server.address().port}/search/index.html`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
  const total = (entries) => entries.reduce((n, e) => n + e.bytes, 0);
  console.log(`site: ${dir} (${fromDisk ? "file://" : "HTTP with gzip on 127.0.0.1"})`);
  console.log("| query | results | first result, ms (median; all) | first page, ms (median) | bytes per query, gzip (median) | files per query | page load, gzip |");
  console.log("|---|---|---|---|---|---|---|");
  for (const q of queries) {
    const times = [], pages = [], bytes = [], files = [], phases = [];
    let loadBytes = 0, status = "";
    for (let i = 0; i < runs; i++) {
      log.length = 0;
      const page = await query(browser, url, q);
      loadBytes = total(log);
      log.length = 0;
      await page.fill("#search-input", q);
      await page.waitForFunction(() => /result/.test(document.getElementById("search-status").textContent), null,
        { timeout: 60000 });
      status = await page.textContent("#search-status");
      if (/^No results/.test(status)) { times.push(NaN); } else {
        await page.waitForSelector("#search-results li", { timeout: 60000 });
        times.push(Math.round(await page.evaluate(() => window.__t1 - window.__t0)));
        pages.push(Math.round(await page.evaluate(() => window.__t2 - window.__t0)));
        if (trace) { phases.push(await page.evaluate(phasesInPage)); }
      }
      await page.waitForLoadState("networkidle");
      bytes.push(total(log));
      files.push(log.length);
      await page.close();
    }
    const shown = times.every(Number.isNaN) ? "–" : `${median(times)} (${times.join(", ")})`;
    const kb = (n) => (n / 1024).toFixed(1) + " KB";
    const whole = pages.length ? median(pages) : "–";
    console.log(`| ${q} | ${status.replace(/\.$/, "")} | ${shown} | ${whole} | ${fromDisk ? "–" : kb(median(bytes))} | ` +
      `${fromDisk ? "–" : median(files)} | ${fromDisk ? "–" : kb(loadBytes)} |`);
    if (trace && phases.length) {
      const m = (k) => median(phases.map((p) => p[k]));
      console.log(`  ${q}: chunks ${m("chunksAsked")}–${m("chunksIn")} ms, fragments asked ${m("fragsAsked")}, ` +
        `in ${m("fragsIn")}, first result ${m("first")} (ms after the input event; medians)`);
    }
  }
  await browser.close();
  if (server) { server.close(); }
}

main().catch((e) => { console.error(e); process.exit(1); });
