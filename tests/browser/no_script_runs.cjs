// Opens every HTML page of a built site from file:// in headless Chromium and reports any
// sign that injected script ran: a dialog (alert/confirm/prompt), `window.__xss` set, or a
// page error. Prints "ok N pages" or the problems, and exits 1 on problems.
// usage: node tests/browser/no_script_runs.cjs PUBLIC_DIR
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

function htmlFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? htmlFiles(p) : e.name.endsWith(".html") ? [p] : [];
  });
}

(async () => {
  const dir = path.resolve(process.argv[2]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
  const problems = [];
  const files = htmlFiles(dir);
  for (const file of files) {
    const page = await browser.newPage();
    // Nothing leaves the machine: external requests are answered with an empty 404.
    await page.route(/^(https?|wss?):/, (route) => route.fulfill({ status: 404, body: "" }));
    page.on("dialog", async (d) => { problems.push(`${file}: dialog "${d.message()}"`); await d.dismiss(); });
    page.on("pageerror", (e) => problems.push(`${file}: page error ${e.message}`));
    await page.goto("file://" + file, { waitUntil: "load" });
    // Hover and focus everything, so that on* handlers would fire if any survived.
    for (const el of await page.$$("body *")) {
      await el.hover({ timeout: 200, force: true }).catch(() => {});
    }
    if (await page.$("#search-input")) {
      await page.fill("#search-input", "lithium");
      await page.waitForTimeout(300);
    }
    await page.waitForTimeout(100);
    if (await page.evaluate(() => window.__xss)) { problems.push(`${file}: window.__xss was set`); }
    await page.close();
  }
  await browser.close();
  if (problems.length) { console.log(problems.join("\n")); process.exit(1); }
  console.log(`ok ${files.length} pages`);
})().catch((e) => { console.error(e); process.exit(2); });
