// The monthly loop on the demo exactly as `infra/up` seeds it (the same seeding code on
// this run's tenant): an operator finds an account, sees its meters and readings, enters a
// reading, forms the account's invoice and reads "why" on a line, downloads the PDF,
// calculates the period with its progress, posts a payment and sees the balance change;
// the subscriber then sees the invoice in the portal. With E2E_DOCS_IMG set, the main
// screens are also saved under docs/img/ for the README.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { SHOTS, TENANT, fetchHead, launch, signIn } from "./browser.js";

const DOCS = process.env.E2E_DOCS_IMG ? new URL("../../docs/img/", import.meta.url).pathname : null;
if (DOCS) mkdirSync(DOCS, { recursive: true });

/** A screenshot for the test results, and for the docs when asked (what the window shows:
 * the README shows screens as a user sees them). */
async function shot(page, name, options = {}) {
  await page.screenshot({ path: SHOTS + name, ...options });
  if (DOCS) await page.screenshot({ path: DOCS + name });
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const month = new Date().toISOString().slice(0, 7);
// Cents of an amount as shown ("1 947,85 ₴", "₴1,947.85", "-12.50", "−3,00 ₴").
const money = (text) => {
  const t = text.replace(/\u2212/g, "-").replace(/[^0-9,.-]/g, "");
  return Math.round(Number(t.includes(".") ? t.replace(/,/g, "") : t.replace(",", ".")) * 100);
};

test("an operator walks the month on the demo utility; the subscriber sees the invoice", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.operator`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  await shot(page, "accounts.png");

  // Find the account by the holder's name and open its card.
  await page.fill("#account-search", "Фролов");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length === 1);
  await page.click('#accounts-table tr[data-number="100001"] td:nth-child(2)');
  await page.waitForSelector("#card-title");
  assert.match(await page.textContent("#card-title"), /100001 — Фролов Степан Іванович/);

  // Its meters, read in the closed months; the cold-water meter's history.
  await page.waitForSelector("#account-meters tbody tr");
  assert.equal(await page.locator("#account-meters tbody tr").count(), 2, "cold and hot water");
  await shot(page, "account-card.png");
  // A meter's own row (the history opened under it mentions the service too).
  const cold = page.locator("#account-meters tbody tr[data-serial]", { hasText: "Холодне" });
  await cold.locator(".meter-history").click();
  await page.waitForSelector("#reading-history tbody tr");
  assert.ok(await page.locator("#reading-history tbody tr").count() >= 3, "three closed months of readings");
  await page.waitForSelector("#reading-chart rect");
  await page.click("#history-drawer .drawer-close");
  await page.waitForSelector("#history-drawer", { state: "detached" });

  // This month's reading, four cubic metres on the last one.
  const last = Number((await cold.locator(".last-reading").textContent()).split(" ")[0]);
  const reading = (last + 4).toFixed(3).replace(/\.?0+$/, "");
  await cold.locator(".reading-input").fill(reading);
  await cold.locator(".reading-input").press("Enter");
  await page.waitForFunction((r) => document.querySelector('#account-meters tbody tr')?.closest("tbody")
    ?.textContent.includes(`${r} (Ф)`), reading);

  // The account's invoice of the open month, formed now; "why" on the cold-water line.
  await page.click("#form-invoice");
  await page.waitForSelector(`#billing-table #invoice-${month}`);
  await page.click(`#invoice-${month} button`);
  await page.waitForSelector("#invoice-lines");
  const line = page.locator("#invoice-lines tbody tr", { hasText: "Холодне водопостачання" }).first();
  assert.match(await line.textContent(), /Ф/);
  await line.locator(".why").click();
  await page.waitForSelector("#invoice-lines tr.steps li");
  assert.match(await page.textContent("#invoice-lines tr.steps"), new RegExp(reading.replace(".", "\\.")));
  // The step names the meter by its serial, as on the meter itself (not by an id).
  const serial = await cold.getAttribute("data-serial");
  assert.match(await page.textContent("#invoice-lines tr.steps"), new RegExp(`Лічильник ${serial}:`));
  await page.screenshot({ path: SHOTS + "account-billing.png", fullPage: true });
  await page.locator("#invoice-lines").screenshot({ path: SHOTS + "invoice-why.png" });
  if (DOCS) await page.locator("#invoice-lines").screenshot({ path: DOCS + "invoice-why.png" });

  // The invoice as PDF.
  await page.click("#invoice-pdf");
  await page.waitForSelector("#invoice-pdf-download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, "#invoice-pdf-download"), { type: "application/pdf", head: "%PDF-" });

  // The whole period, with its progress and figures; three closed months before it.
  await page.click("#menu-billing");
  await page.waitForSelector("#periods tbody tr");
  assert.equal(await page.locator("#periods tbody tr", { hasText: "закритий" }).count(), 3);
  await page.click("#calc-start");
  await page.waitForSelector("#calc-progress, #calc-done", { timeout: 60000 });
  await page.waitForSelector("#calc-done", { timeout: 120000 });
  assert.match(await page.textContent("#calc-done"), /Особових рахунків: 41 · Рахунків: 41 · Помилок: 0/);
  await page.waitForSelector("#summary-reconciles.ok");
  await shot(page, "billing.png", { fullPage: true });

  // A payment at the cash desk: the balance drops by it at once.
  await page.click("#menu-payments");
  await page.waitForSelector("#payment-form");
  await page.fill("#payment-account", "100001");
  await page.press("#payment-account", "Tab");
  await page.waitForSelector("#payment-due.hint");
  await page.selectOption("#payment-kind", "CASH_DESK");
  await page.fill("#payment-amount", "500");
  await page.click("#payment-save");
  await page.waitForSelector("#payment-created");
  await shot(page, "payments.png", { fullPage: true });
  await page.click("#menu-subscribers");
  await page.fill("#account-search", "100001");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length === 1);
  await page.click('#accounts-table tr[data-number="100001"] td:nth-child(2)');
  await page.waitForSelector("#card-title");
  // The card, the list and (below) the portal show the same balance.
  const balance = money(await page.textContent("#account-card dl dd:last-of-type"));
  const row = await page.textContent('#accounts-table tr[data-number="100001"] td.balance');
  assert.equal(money(row), balance, "the list and the card agree");

  // The other screens with the demo's data.
  await page.click("#menu-meters");
  await page.waitForSelector("#meters-table tbody tr");
  await shot(page, "meters.png");
  await page.click("#menu-payment-import");
  await page.waitForSelector("#payment-files-table tr.payment-file");
  await page.click("#payment-files-table tr.payment-file");
  await page.waitForSelector("#payment-file-rows tr.outcome-refused");
  await shot(page, "payment-import.png", { fullPage: true });
  await page.click("#menu-legal-entities");
  await page.waitForSelector("#legal-table tbody tr");
  assert.match(await page.textContent("#legal-table tbody"), /ТОВ «Водограй»/);
  assert.deepEqual(errors, []);
  await page.close();

  // The subscriber, on a phone: the account's invoices and the balance the staff see.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone, `${TENANT}.subscriber`);
  await phone.waitForSelector("#portal-balance", { timeout: 30000 });
  await phone.waitForSelector("#portal-invoices tbody tr");
  assert.ok(await phone.locator("#portal-invoices tbody tr").count() >= 4, "three closed months and this one");
  assert.match(await phone.textContent("#portal-invoices tbody"), new RegExp(month));
  const portalBalance = money((await phone.textContent("#portal-balance")).split(":").pop());
  assert.equal(portalBalance, balance);
  await shot(phone, "portal.png", { fullPage: true });
  // A reading far above the meter's usual month is held for the office, and the
  // subscriber is told so, with what was usual; nothing is charged from it.
  const portalMeter = phone.locator("#portal-meters tbody tr").first();
  // Shown as Ukrainian writes a number ("1 234,5 (2026-11)").
  const lastText = (await portalMeter.locator("td").nth(2).textContent()).split(" (")[0];
  const lastSeen = Number(lastText.replace(/[\u00a0\u202f ]/g, "").replace(",", "."));
  assert.ok(Number.isFinite(lastSeen), `a last reading: ${lastText}`);
  await portalMeter.locator(".portal-reading").fill(String(Math.floor(lastSeen) + 500));
  await portalMeter.locator(".portal-reading").press("Enter");
  await phone.waitForSelector(".portal-reading-outcome, .portal-reading-error");
  assert.match(await portalMeter.textContent(), /перевірку/);
  await phone.waitForSelector('#portal-held tr[data-state="held"]');
  await phone.close();

  // The office sees it on the Meters screen beside the demo's own slip (account 100041)
  // and accepts it; its row then goes, the other waits.
  const office = await browser.newPage();
  await signIn(office, `${TENANT}.operator`);
  await office.waitForSelector("#menu-meters", { timeout: 30000 });
  await office.click("#menu-meters");
  await office.waitForSelector("#held-readings tbody tr", { timeout: 30000 });
  assert.match(await office.textContent("#held-readings h3"), /^2 показники на перевірці$/);
  assert.match(await office.textContent("#held-readings tbody"), /100041/);
  await office.locator("#held-readings tbody tr", { hasText: "100001" }).locator(".held-accept").click();
  await office.waitForFunction(() => [...document.querySelectorAll("#held-readings tbody tr")].length === 1);
  assert.doesNotMatch(await office.textContent("#held-readings tbody"), /100001/);
  await office.close();
});

test("the balance drops by a payment the moment it is posted", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.operator`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  const balance = async () => {
    await page.click("#menu-subscribers");
    await page.fill("#account-search", "100034");
    await page.press("#account-search", "Enter");
    await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length === 1);
    return money(await page.textContent('#accounts-table tr[data-number="100034"] td.balance'));
  };
  const before = await balance();
  await page.click("#menu-payments");
  await page.waitForSelector("#payment-form");
  await page.fill("#payment-account", "100034");
  await page.press("#payment-account", "Tab");
  await page.waitForSelector("#payment-due.hint");
  await page.selectOption("#payment-kind", "CASH_DESK");
  await page.fill("#payment-amount", "321,45");
  await page.click("#payment-save");
  await page.waitForSelector("#payment-created");
  assert.equal(await balance(), before - 32145);
  await page.close();
});
