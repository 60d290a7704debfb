// First-result latency of the offline search, in headless Chromium, from file:// (the
// hardest case: no server, shards loaded with <script> tags).
// usage: node bench/search_latency.cjs PUBLIC_DIR [QUERY] [RUNS]
// Needs playwright-core (NODE_PATH=../shared/tools/site-audit/node_modules works) and
// /usr/bin/chromium.
const path = require("path");
const fs = require("fs");
const { chromium } = require("playwright-core");

async function main() {
  const dir = path.resolve(process.argv[2] || "public");
  const query = process.argv[3] || "lithium";
  const runs = Number(process.argv[4] || 5);
  const url = "file://" + path.join(dir, "search", "index.html");
  const size = fs.readdirSync(path.join(dir, "search"))
    .filter((f) => f.endsWith(".js"))
    .reduce((n, f) => n + fs.statSync(path.join(dir, "search", f)).size, 0);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
  const times = [];
  let count = "";
  for (let i = 0; i < runs; i++) {
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
    });
    await page.fill("#search-input", query);
    await page.waitForSelector("#search-results li", { timeout: 30000 });
    times.push(Math.round(await page.evaluate(() => window.__t1 - window.__t0)));
    // Let every shard arrive, then read the final count.
    await page.waitForFunction(() => !/so far/.test(document.getElementById("search-status").textContent));
    count = await page.textContent("#search-status");
    await page.close();
  }
  await browser.close();
  times.sort((a, b) => a - b);
  console.log(`index: ${(size / 1e6).toFixed(2)} MB in ${dir}/search`);
  console.log(`query "${query}": first result after ${times[Math.floor(times.length / 2)]} ms (median of ${runs}; all: ${times.join(", ")}); ${count}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
