// The walking skeleton in a real browser: the Yew client, served by the backend, shows
// data that came from PostgreSQL through GraphQL, in the tenant's language, and can run
// a background job and show its state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE, SHOTS, TENANT, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openApp(login = `${TENANT}.admin`) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, login);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  return { page, errors };
}

test("shell shows the menu, the summary panel and accounts from the database", async () => {
  const { page, errors } = await openApp();
  const menu = await page.locator(".menu-item").allTextContents();
  // The demo tenant's locale is Ukrainian.
  assert.deepEqual(menu.map((s) => s.trim()), [
    "Абоненти", "Юридичні особи", "Лічильники", "Довідники",
    "Імпорт платежів", "Платежі", "Звіти", "Адміністрування",
  ]);
  assert.equal((await page.textContent("#summary-accounts .summary-value")).trim(), "8");
  assert.equal((await page.textContent("#summary-debt .summary-value")).trim(), "1947.85 UAH");
  const rows = page.locator("#accounts-table tbody tr");
  assert.equal(await rows.count(), 8);
  const first = await rows.nth(0).locator("td").allTextContents();
  assert.deepEqual(first.slice(0, 3), ["100001", "Фролов Степан", "Київ, вул. Хрещатик, 2, кв. 45"]);
  assert.equal(first[7], "111.00");
  assert.ok(await page.isVisible("#switch-user"));
  assert.equal((await page.textContent("#current-user")).trim(), "Demo admin");
  await page.screenshot({ path: SHOTS + "shell.png" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("language switch translates the UI and is remembered", async () => {
  const { page } = await openApp();
  await page.selectOption("#lang-select", "en");
  await page.waitForFunction(() => document.querySelector("#menu-subscribers")?.textContent.trim() === "Subscribers");
  assert.match((await page.textContent("#accounts-table th")).trim(), /^Account( ▲)?$/);
  await page.reload();
  await page.waitForSelector("#accounts-table tbody tr");
  assert.equal((await page.textContent("#menu-meters")).trim(), "Meters");
  await page.selectOption("#lang-select", "ru");
  await page.waitForFunction(() => document.querySelector("#menu-meters")?.textContent.trim() === "Счётчики");
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test("search narrows the account list", async () => {
  const { page } = await openApp();
  await page.fill("#account-search", "Іваненко");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length === 1);
  assert.equal((await page.locator("#accounts-table tbody tr td").first().textContent()).trim(), "100004");
  await page.close();
});

test("export by e-mail runs as a job and its state reaches done", async () => {
  const { page } = await openApp();
  const email = `e2e-${Date.now()}@example.com`;
  await page.fill("#export-email", email);
  await page.click("form.export button");
  await page.waitForSelector("#export-status.done", { timeout: 60000 });
  assert.match(await page.textContent("#export-status"), /100%/);
  await page.screenshot({ path: SHOTS + "export-done.png" });
  const maildir = process.env.APP_TEST_MAILDIR;
  assert.ok(maildir, "APP_TEST_MAILDIR names the SMTP sink's Maildir (infra/test sets it)");
  const mails = readdirSync(join(maildir, "new"))
    .map((f) => readFileSync(join(maildir, "new", f), "utf8"))
    .filter((m) => m.includes(`To: ${email}`));
  assert.equal(mails.length, 1, `one message to ${email} in ${maildir}`);
  await page.close();
});

test("a bad e-mail address is refused with a message naming the field", async () => {
  const { page } = await openApp();
  // Bypass the browser's own type=email check to reach the server's validation.
  await page.evaluate(() => { document.querySelector("#export-email").type = "text"; });
  await page.fill("#export-email", "not an address");
  await page.click("form.export button");
  await page.waitForSelector("#export-status.error");
  // The server names the field in the UI's language.
  assert.match(await page.textContent("#export-status"), /^e-mail: має бути адресою e-mail/);
  await page.close();
});

test("the account list sorts by a column and exports what is shown to XLSX", async () => {
  const { page } = await openApp();
  await page.click('th[data-sort="balance"]');
  await page.click('th[data-sort="balance"]');
  await page.waitForFunction(() => document.querySelector("#accounts-table tbody td")?.textContent === "100008");
  const balances = await page.locator("#accounts-table tbody tr td:nth-child(8)").allTextContents();
  const numbers = balances.map(Number);
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), "descending by balance");
  await page.click(".subscribers .export-xlsx-button");
  await page.waitForSelector(".subscribers a.download", { timeout: 60000 });
  const href = await page.getAttribute(".subscribers a.download", "href");
  const resp = await page.request.get(new URL(href, BASE).toString());
  assert.equal(resp.status(), 200);
  assert.match(resp.headers()["content-type"], /spreadsheetml/);
  const body = await resp.body();
  assert.equal(body.subarray(0, 2).toString(), "PK", "an XLSX (zip) file");
  await page.close();
});

test("the account card shows the residents and takes a new one", async () => {
  const { page } = await openApp();
  await page.click('#accounts-table tr[data-number="100001"]');
  await page.waitForSelector("#card-title");
  assert.match(await page.textContent("#card-title"), /100001 — Фролов Степан/);
  assert.equal((await page.textContent("#card-status")).trim(), "Затверджений");
  await page.waitForSelector("#residents-table tbody tr");
  const before = await page.locator("#residents-table tbody tr").count();
  assert.equal(before, 2, "the demo's two residents");
  await page.fill("#resident-name", "Фролова Ганна");
  await page.fill("#resident-from", "2026-11-01");
  await page.click("#resident-submit");
  await page.waitForFunction(() => document.querySelectorAll("#residents-table tbody tr").length === 3);
  assert.match(await page.textContent("#account-card h4"), /\(3\)/);
  await page.screenshot({ path: SHOTS + "account-card.png" });
  await page.close();
});

test("a new account is opened for a new subscriber in chosen premises", async () => {
  const { page } = await openApp();
  // An address to open it in.
  await page.click("#menu-administration");
  await page.click("#tab-add-address");
  await page.fill("#addr-locality", "Бровари");
  await page.fill("#addr-street", "Незалежності");
  await page.fill("#addr-building", "21");
  await page.fill("#addr-from", "1");
  await page.fill("#addr-to", "4");
  await page.click("#addr-submit");
  await page.waitForSelector("#addr-message");
  await page.click("#menu-subscribers");
  await page.click("#new-account-button");
  await page.fill("#na-last", "Мирошниченко");
  await page.fill("#na-first", "Ярина");
  await page.waitForFunction(() => [...document.querySelectorAll("#na-building option")].some((o) => o.textContent.includes("Незалежності")));
  const value = await page.evaluate(() => [...document.querySelectorAll("#na-building option")].find((o) => o.textContent.includes("Незалежності")).value);
  await page.selectOption("#na-building", value);
  await page.waitForFunction(() => document.querySelectorAll("#na-premises option").length === 5);
  await page.selectOption("#na-premises", { label: "3" });
  await page.fill("#na-opened", "2026-11-01");
  await page.click("#na-submit");
  await page.waitForSelector("#card-title");
  assert.match(await page.textContent("#card-title"), /— Мирошниченко Ярина/);
  assert.match(await page.textContent("#account-card dl"), /Бровари, Незалежності, 21, кв\. 3/);
  await page.close();
});
