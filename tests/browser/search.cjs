// Types queries into the search page of a built site, opened from file:// in headless
// Chromium, and prints what a reader sees as JSON: per query the status line and each
// result (title, the words marked, date, meta line, bullets, snippet, the element names
// inside it), whether injected script ran, and where the keyboard focus goes on the arrow
// keys. The Rust test (tests/search.rs) asserts on it.
// usage: node tests/browser/search.cjs PUBLIC_DIR QUERY...
const path = require("path");
const { chromium } = require("playwright-core");

async function results(page) {
  return page.$$eval("#search-results > li", (items) => items.map((li) => ({
    title: li.querySelector(".story-title a").textContent,
    href: li.querySelector(".story-title a").getAttribute("href"),
    title_marks: [...li.querySelectorAll(".story-title mark")].map((m) => m.textContent),
    date: (li.querySelector(".meta time") || {}).textContent || null,
    datetime: li.querySelector(".meta time") ? li.querySelector(".meta time").getAttribute("datetime") : null,
    meta: li.querySelector(".meta").textContent,
    bullets: [...li.querySelectorAll("ul.summary > li")].map((b) => b.textContent),
    bullet_marks: [...li.querySelectorAll("ul.summary mark")].map((m) => m.textContent),
    snippet: (li.querySelector(".search-snippet") || {}).textContent || null,
    snippet_marks: [...li.querySelectorAll(".search-snippet mark")].map((m) => m.textContent),
    elements: [...new Set([...li.querySelectorAll("*")].map((e) => e.localName))].sort(),
  })));
}

async function settle(page) {
  await page.waitForFunction(() => /result/i.test(document.getElementById("search-status").textContent),
    null, { timeout: 10000 });
  await page.waitForTimeout(50);
}

(async () => {
  const dir = path.resolve(process.argv[2]);
  const queries = process.argv.slice(3);
  const url = "file://" + path.join(dir, "search", "index.html");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
  const out = { queries: {}, errors: [] };
  const page = await browser.newPage();
  page.on("pageerror", (e) => out.errors.push(e.message));
  page.on("dialog", async (d) => { out.errors.push("dialog " + d.message()); await d.dismiss(); });
  await page.goto(url, { waitUntil: "load" });
  for (const q of queries) {
    await page.fill("#search-input", "");
    // Typed key by key, as a reader does.
    await page.type("#search-input", q, { delay: 30 });
    await settle(page);
    await page.waitForFunction((q) => document.getElementById("search-status").textContent.includes(q), q);
    out.queries[q] = { status: await page.textContent("#search-status"), results: await results(page) };
  }
  // Keyboard: from the input down through the results and back.
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return a.id === "search-input" ? "input" : a.closest("#search-results > li") ?
      [...document.querySelectorAll("#search-results .story-title a")].indexOf(a) : a.localName;
  });
  await page.fill("#search-input", "");
  await page.type("#search-input", queries[0], { delay: 30 });
  await settle(page);
  await page.focus("#search-input");
  out.keys = [];
  for (const key of ["ArrowDown", "ArrowDown", "ArrowUp", "ArrowUp", "ArrowDown", "Escape"]) {
    await page.keyboard.press(key);
    out.keys.push(await focused());
  }
  out.xss = await page.evaluate(() => window.__xss || null);
  await page.close();
  // A link with ?q= runs the search on arrival.
  const linked = await browser.newPage();
  await linked.goto(url + "?q=" + encodeURIComponent(queries[0]), { waitUntil: "load" });
  await settle(linked);
  out.linked = { status: await linked.textContent("#search-status"), results: (await results(linked)).length };
  await browser.close();
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(2); });
