// Opens a built site's 404 page the ways readers meet it, in headless Chromium, and prints
// what they see as JSON: from disk (file://…/404.html), and from a web server on 127.0.0.1
// that serves the site under its path and answers every missing address with 404.html (as
// hosts do), at several depths, with and without scripts. The Rust test (tests/not_found.rs)
// asserts on it.
// usage: node tests/browser/not_found.cjs PUBLIC_DIR BASE_PATH MISSING_PATH...
const http = require("http");
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const dir = path.resolve(process.argv[2]);
const base = process.argv[3];
const missing = process.argv.slice(4);
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml" };

const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split("?")[0]);
  let file = null;
  if (url.startsWith(base)) {
    let rel = url.slice(base.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const p = path.join(dir, rel);
    if (p.startsWith(dir + path.sep) && fs.existsSync(p) && fs.statSync(p).isFile()) file = p;
  }
  const status = file ? 200 : 404;
  file = file || path.join(dir, "404.html");
  res.writeHead(status, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  res.end(fs.readFileSync(file));
});

async function look(page, url) {
  const response = await page.goto(url, { waitUntil: "load" });
  const seen = await page.evaluate(() => ({
    styled: getComputedStyle(document.body).margin === "0px",
    home: document.querySelector(".site-title a").href,
    links: [...document.querySelectorAll("main a")].map((a) => a.href),
  }));
  seen.status = response ? response.status() : null;
  return seen;
}

(async () => {
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = "http://127.0.0.1:" + server.address().port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
  const out = { origin, disk: null, host: {}, host_without_scripts: {}, errors: [] };
  const page = await browser.newPage();
  page.on("pageerror", (e) => out.errors.push(e.message));
  out.disk = await look(page, "file://" + path.join(dir, "404.html"));
  for (const m of missing) out.host[m] = await look(page, origin + m);
  const noScripts = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  for (const m of missing) out.host_without_scripts[m] = await look(noScripts, origin + m);
  await browser.close();
  server.close();
  process.stdout.write(JSON.stringify(out, null, 2));
})().catch((e) => { console.error(e); process.exit(1); });
