// Electricity retail dossiers (issue 23) on the demo's retailer: the trader's menu, the
// list of customers, a customer's card with its points and its contract and annex; a
// mistyped EIC refused under its field in Bulgarian, then the point added; a scan of the
// annex attached and opened; a new household with a contract of time-of-use zones whose
// missing night price is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SHOTS, TENANT, launch, signIn } from "./browser.js";

const RETAILER = `${TENANT}_bg`;

// An EIC's check character (ENTSO-E: values 0–9, A–Z 10–35, "-" 36; weights 16…2);
// null when none exists (the sum would give "-": such a code is never issued).
function checkCharacter(first15) {
  const value = (c) => (c === "-" ? 36 : parseInt(c, 36));
  const sum = [...first15].reduce((s, c, i) => s + value(c) * (16 - i), 0);
  const v = 36 - ((sum - 1) % 37);
  return v === 36 ? null : v.toString(36).toUpperCase();
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("the water tenant's menu has no electricity customers; the retailer's has no meters", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.waitForSelector("#menu-subscribers");
  assert.equal(await page.locator("#menu-retail-customers").count(), 0);
  await page.close();

  const retail = await browser.newPage();
  await signIn(retail, `${RETAILER}.admin`);
  await retail.waitForSelector("#menu-retail-customers");
  assert.equal(await retail.locator("#menu-meters").count(), 0);
  assert.equal(await retail.locator("#menu-subscribers").count(), 0);
  // The start page is the retailer's first section.
  await retail.waitForSelector("#retail-table");
  await retail.close();
});

test("a customer's dossier: points, a contract with its annex, a point added after a mistyped EIC", async () => {
  const page = await browser.newPage();
  await signIn(page, `${RETAILER}.operator`);
  await page.click("#menu-retail-customers");
  const bakery = '#retail-table tr[data-name="Пекарна Изгрев ООД"]';
  await page.waitForSelector(bakery);
  // The demo's six (and any household a run before added).
  assert.ok((await page.locator("#retail-table tbody tr").count()) >= 6);
  await page.click(bakery);
  await page.waitForSelector("#retail-title");
  assert.equal(await page.textContent("#retail-title"), "Пекарна Изгрев ООД");
  const points = await page.locator("#retail-points tbody tr").count();
  assert.ok(points >= 2, `the bakery's two points (and any a run before added): ${points}`);
  const contracts = await page.locator("#retail-contracts tbody tr td:first-child").allTextContents();
  assert.deepEqual(contracts, ["Д-2026-014", "↳ Анекс 1 към Д-2026-014"]);
  assert.match(await page.textContent('#retail-contracts tr[data-number="Анекс 1 към Д-2026-014"]'), /\+6\.8 \(90–320\)/);

  // A point of this run's own (the demo's are 32Z14000020147…).
  let n = Date.now();
  while (checkCharacter(`32Z14${String(n).slice(-10)}`) === null) n += 1;
  const first15 = `32Z14${String(n).slice(-10)}`;
  const eic = first15 + checkCharacter(first15);
  const wrong = first15 + (eic.endsWith("A") ? "B" : "A");
  assert.equal(checkCharacter("10YCA-BULGARIA-"), "R");
  await page.fill("#rp-eic", wrong);
  await page.fill("#rp-registeredFrom", "2026-11-01");
  await page.click("#rp-submit");
  await page.waitForSelector('#retail-point-form .field-error[data-field="eic"]');
  assert.match(await page.textContent('#retail-point-form .field-error[data-field="eic"]'), /контролният/);
  await page.fill("#rp-eic", eic);
  await page.click("#rp-submit");
  await page.waitForSelector(`#retail-points tr[data-eic="${eic}"]`);
  assert.equal(await page.locator("#retail-points tbody tr").count(), points + 1);

  // A scan of the annex attached; it opens from its link.
  const name = `Анекс ${first15}.pdf`;
  await page.selectOption("#rd-contract", { label: "Анекс 1 към Д-2026-014" });
  await page.setInputFiles("#rd-file", { name, mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
  await page.click("#rd-submit");
  const paper = `#retail-documents tr[data-file="${name}"]`;
  await page.waitForSelector(paper);
  assert.match(await page.textContent(paper), /Анекс 1 към Д-2026-014/);
  const href = await page.getAttribute(`${paper} a`, "href");
  const got = await page.request.get(new URL(href, page.url()).href);
  assert.equal(got.status(), 200);
  assert.equal(got.headers()["content-type"], "application/pdf");
  await page.screenshot({ path: SHOTS + "retail-dossier.png", fullPage: true });
  await page.close();
});

test("a new household gets a contract of two zones; a missing night price is refused", async () => {
  const page = await browser.newPage();
  await signIn(page, `${RETAILER}.operator`);
  await page.click("#menu-retail-customers");
  await page.click("#retail-new");
  const name = `Петър Иванов ${Date.now() % 100000}`;
  await page.selectOption("#rc-kind", "household");
  await page.fill("#rc-name", name);
  await page.selectOption("#rc-delivery", "post");
  await page.click("#rc-submit");
  await page.waitForSelector("#retail-title");
  assert.equal(await page.textContent("#retail-title"), name);

  await page.fill("#rk-number", "Д-2026-099");
  await page.fill("#rk-signedOn", "2026-11-20");
  await page.fill("#rk-validFrom", "2026-12-01");
  await page.selectOption("#rk-priceKind", "zones");
  await page.fill("#rk-priceDay", "226,40");
  await page.click("#rk-submit");
  await page.waitForSelector('#retail-contract-form .field-error[data-field="priceNight"]');
  await page.fill("#rk-priceNight", "151");
  await page.click("#rk-submit");
  await page.waitForSelector('#retail-contracts tr[data-number="Д-2026-099"]');
  assert.match(await page.textContent('#retail-contracts tr[data-number="Д-2026-099"]'), /226\.4 \/ 151/);
  await page.close();
});

test("the report of contracts and annexes lists the bakery's contract with its annex", async () => {
  const page = await browser.newPage();
  await signIn(page, `${RETAILER}.operator`);
  await page.click("#menu-reports");
  await page.waitForSelector('#report-kind option[value="RETAIL_CONTRACTS"]', { state: "attached" });
  await page.selectOption("#report-kind", "RETAIL_CONTRACTS");
  const today = new Date();
  const yearAgo = new Date(today.getTime() - 365 * 86400000);
  await page.fill("#report-from", yearAgo.toISOString().slice(0, 10));
  await page.fill("#report-to", today.toISOString().slice(0, 10));
  await page.click("#report-open");
  await page.waitForSelector("#report-table tbody tr");
  const rows = await page.$$eval("#report-table tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())));
  const bakery = rows.filter((r) => r[0] === "Пекарна Изгрев ООД").map((r) => [r[3], r[4]]);
  assert.deepEqual(bakery, [["Д-2026-014", ""], ["Анекс 1 към Д-2026-014", "Д-2026-014"]]);
  await page.close();
});
