// The billing simulation in a real browser: the month calculated, a simulation finds
// nothing to change; a correction entered on a card afterwards is exactly what the next
// simulation finds, explained line by line, while the issued invoice stays as it was.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SHOTS, TENANT, fetchHead, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const month = new Date().toISOString().slice(0, 7);

async function simulate(page) {
  await page.click("#menu-billing");
  await page.waitForSelector("#sim-start");
  await page.click("#sim-start");
  await page.waitForSelector("#sim-done", { timeout: 120000 });
  return {
    differing: Number(await page.getAttribute("#sim-figures", "data-differing")),
    difference: await page.getAttribute("#sim-figures", "data-difference"),
  };
}

test("a simulation finds nothing after the calculation, then exactly a new correction", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.accountant`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  await page.click("#menu-billing");
  await page.click("#calc-start");
  await page.waitForSelector("#calc-done", { timeout: 120000 });
  assert.deepEqual(await simulate(page), { differing: 0, difference: "0" });

  // A correction on a card: the invoice is not re-formed, the simulation sees it.
  await page.click("#menu-subscribers");
  await page.fill("#account-search", "100020");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll('#accounts-table tr[data-number="100020"]').length === 1);
  await page.click('#accounts-table tr[data-number="100020"] td:nth-child(2)');
  await page.waitForSelector("#correction-form");
  await page.selectOption("#correction-service", { label: "Утримання будинку" });
  await page.fill("#correction-amount", "34");
  await page.click("#correction-save");
  await page.waitForSelector('#account-acts-table tr[data-kind="CORRECTION"]');
  const issued = await page.getAttribute(`#invoice-${month}`, "data-closing");

  const found = await simulate(page);
  assert.equal(found.differing, 1);
  assert.equal(Number(found.difference), 34);
  assert.match(await page.textContent("#sim-largest tbody"), /100020/);
  assert.match(await page.textContent("#sim-largest tr.why"), /Акт № \d+: 34/);
  assert.deepEqual(await fetchHead(page, "#sim-download", 2), {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", head: "PK",
  });
  await page.screenshot({ path: SHOTS + "simulation.png", fullPage: true });

  // Nothing was written: the card's invoice is as issued.
  await page.click("#menu-subscribers");
  await page.fill("#account-search", "100020");
  await page.press("#account-search", "Enter");
  await page.click('#accounts-table tr[data-number="100020"] td:nth-child(2)');
  await page.waitForSelector(`#invoice-${month}`);
  assert.equal(await page.getAttribute(`#invoice-${month}`, "data-closing"), issued);
  assert.deepEqual(errors, []);
  await page.close();
});
