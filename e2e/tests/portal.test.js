// The subscriber portal in a phone-sized browser: the subscriber signs in, sees their
// accounts, the chosen one's balance and payment history, and nothing of the staff menu.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SHOTS, TENANT, fetchHead, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a subscriber sees their accounts, balance and payments in the portal", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.subscriber`);
  await page.waitForSelector("#portal-balance", { timeout: 30000 });
  assert.equal(await page.locator(".menu-item").count(), 0);
  const options = await page.locator("#portal-account-select option").allTextContents();
  assert.equal(options.length, 2);
  assert.match(options[0], /^100001 — /);
  // As Ukrainian writes an amount: groups of thousands, a decimal comma, the tenant's
  // currency sign (the portal loads the tenant's currency like the office does).
  await page.waitForFunction(() => /₴$/.test(document.querySelector("#portal-balance")?.textContent ?? ""));
  assert.match(await page.textContent("#portal-balance"), /^Сальдо: [-−]?\d{1,3}([\u00a0\u202f ]\d{3})*,\d\d[\u00a0\u202f ]₴$/);
  // The payment the operator entered for 100001 (payments test) is in its history.
  await page.waitForSelector("#portal-payments tbody tr");
  assert.match(await page.textContent("#portal-payments tbody"), /120,50/);
  // The reconciliation statement of the account, as PDF and as a spreadsheet.
  assert.deepEqual(await fetchHead(page, "#portal-statement-pdf"), { type: "application/pdf", head: "%PDF-" });
  await page.fill("#portal-statement-from", "2026-01");
  assert.match(await page.getAttribute("#portal-statement-xlsx", "href"), /\/xlsx\?from=2026-01$/);
  assert.equal((await fetchHead(page, "#portal-statement-xlsx", 2)).head, "PK");
  await page.selectOption("#portal-account-select", { index: 1 });
  await page.waitForFunction(() => /100003/.test(document.querySelector(".portal-card h2")?.textContent ?? ""));
  await page.screenshot({ path: SHOTS + "portal.png", fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
