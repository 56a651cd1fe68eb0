// Reports in a real browser on the demo: an accountant opens the summary of last month
// (every service row reconciles, the totals row adds up), downloads it as XLSX, and opens
// the debtors by the age of their debt, the controller's route sheet and its print form, the interim summary; a
// tenant admin schedules a report, which the
// worker forms and mails.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SHOTS, TENANT, fetchHead, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const cents = (v) => Math.round(Number(v) * 100);

test("the summary of last month reconciles, downloads as XLSX, and debtors are listed by age", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.accountant`);
  await page.click("#menu-reports");
  await page.waitForFunction(() => document.querySelectorAll("#report-kind option").length >= 3);
  // The dashboard: charges and collections by month (the demo has months behind it), the
  // debt by age, the meters read this month.
  await page.waitForSelector("#dash-months g.dash-month");
  assert.ok(await page.locator("#dash-months g.dash-month").count() >= 2, "months of the demo");
  assert.ok(await page.locator("#dash-ages g.dash-age").count() === 6, "six ages of debt");
  assert.ok(Number(await page.getAttribute("#dash-meters", "data-working")) > 0, "the demo's meters");
  assert.equal(await page.inputValue("#report-kind"), "SUMMARY");
  await page.click("#report-open");
  await page.waitForSelector("#report-table tbody tr");
  // Opening + charged + recalculation − benefit − subsidy + penalty − paid = closing, per
  // service and in total (the columns after the service and the count of accounts).
  const rows = await page.$$eval("#report-table tbody tr, #report-table tfoot tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.dataset.value)));
  assert.ok(rows.length >= 2, `services and the total: ${rows.length}`);
  for (const r of rows) {
    const [o, c, rc, b, s, p, pd, cl] = r.slice(2).map(cents);
    assert.equal(o + c + rc - b - s + p - pd, cl, `reconciles: ${r}`);
  }
  const body = rows.slice(0, -1);
  const total = rows[rows.length - 1];
  for (let i = 2; i < total.length; i++) {
    assert.equal(body.reduce((sum, r) => sum + cents(r[i]), 0), cents(total[i]), `column ${i} sums to the total`);
  }
  assert.ok(cents(total[3]) > 0, "the demo charged last month");
  await page.click("#reports .export-xlsx-button");
  await page.waitForSelector("#reports a.download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, "#reports a.download", 2), {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", head: "PK",
  });
  await page.screenshot({ path: SHOTS + "report-summary.png", fullPage: true });

  // Debtors: the debt by age adds up to the debt, row by row.
  await page.selectOption("#report-kind", "DEBTORS");
  await page.waitForSelector("#report-min-debt");
  await page.fill("#report-min-debt", "1");
  await page.click("#report-open");
  await page.waitForSelector("#report-table tbody tr");
  const debtors = await page.$$eval("#report-table tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td:not(.pick)")].map((td) => td.dataset.value)));
  for (const r of debtors) {
    const ages = r.slice(5, 11).map(cents).reduce((a, b) => a + b, 0);
    assert.equal(ages, cents(r[3]), `ages add up to the debt: ${r}`);
    assert.ok(cents(r[3]) >= 100, `at least the threshold: ${r}`);
  }
  // Claim letters to the two debtors ticked, to print: one PDF of two letters, and each
  // debtor's collection says "notice sent".
  const picks = page.locator("#report-table .claim-pick");
  assert.ok(await picks.count() >= 2, "the demo has debtors");
  await picks.nth(0).check();
  await picks.nth(1).check();
  await page.waitForFunction(() => /\(2\)/.test(document.querySelector("#claim-start")?.textContent ?? ""));
  await page.selectOption("#claim-delivery", "PRINT");
  await page.click("#claim-start");
  await page.waitForSelector("#claim-done", { timeout: 60000 });
  assert.equal(await page.getAttribute("#claim-done", "data-printed"), "2");
  assert.deepEqual(await fetchHead(page, "#claim-download", 4), { type: "application/pdf", head: "%PDF" });
  await page.screenshot({ path: SHOTS + "report-claim-letters.png", fullPage: true });
  // Opened again (the threshold written otherwise, so it is read anew): the two debtors'
  // collection column says "notice sent" with today's date.
  await page.fill("#report-min-debt", "1.00");
  await page.click("#report-open");
  await page.waitForFunction(() => [...document.querySelectorAll("#report-table tbody tr")]
    .filter((tr) => (tr.querySelectorAll("td:not(.pick)")[11]?.dataset.value ?? "").length > 0).length >= 2);
  // A threshold that is not a number is refused by its field.
  await page.fill("#report-min-debt", "a lot");
  await page.click("#report-open");
  await page.waitForSelector('#report-min-debt[aria-invalid="true"]');

  // The controller's route sheet of this month: the demo's controller walks every house;
  // the previous reading is there and the current one is left to be written in. Its print
  // form is a PDF.
  await page.selectOption("#report-kind", "ROUTE_SHEET");
  await page.waitForFunction(() => document.querySelectorAll("#report-controller option").length >= 2);
  const controller = await page.$eval("#report-controller option:nth-child(2)", (o) => o.value);
  await page.selectOption("#report-controller", controller);
  await page.fill("#report-period", new Date().toISOString().slice(0, 7));
  await page.click("#report-open");
  await page.waitForSelector("#report-table tbody tr");
  const sheet = await page.$$eval("#report-table tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.dataset.value)));
  assert.ok(sheet.length >= 10, `the demo's meters: ${sheet.length}`);
  assert.ok(sheet.every((r) => r[0] === sheet[0][0] && r[0].length > 0), "one controller");
  assert.ok(sheet.every((r) => r[8] === "" && r[9] === ""), "the current reading left blank");
  assert.ok(sheet.some((r) => Number(r[7]) > 0), "previous readings");
  await page.click("#reports .export-pdf-button");
  await page.waitForSelector("#reports .export-xlsx:has(.export-pdf-button) a.download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, "#reports .export-xlsx:has(.export-pdf-button) a.download", 4), {
    type: "application/pdf", head: "%PDF",
  });
  await page.screenshot({ path: SHOTS + "report-route-sheet.png", fullPage: true });

  // The interim summary: the open month simulated as it stands, a job with its progress;
  // every service row and the total reconcile.
  await page.selectOption("#report-kind", "INTERIM");
  await page.click("#interim-run");
  await page.waitForSelector("#interim-table tfoot tr", { timeout: 120000 });
  const interim = await page.$$eval("#interim-table tbody tr, #interim-table tfoot tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.dataset.value)));
  assert.ok(interim.length >= 2, `services and the total: ${interim.length}`);
  for (const r of interim) {
    const [o, c, rc, b, s, p, pd, cl] = r.slice(2).map(cents);
    assert.equal(o + c + rc - b - s + p - pd, cl, `reconciles: ${r}`);
  }
  assert.ok(cents(interim[interim.length - 1][3]) > 0, "the open month charges");
  await page.screenshot({ path: SHOTS + "report-interim.png", fullPage: true });

  // The penalty calculator, a court-style case under the Russian rule: 5,000.00 of January
  // 2022, 2,000.00 paid on 15 March, 9.5 %, the 2022 moratorium from the tenant's book:
  // 4.75 + 14.25 + 65.77.
  await page.selectOption("#report-kind", "PENALTY");
  await page.waitForSelector("#penalty-form");
  await page.selectOption("#penalty-rule", "RUSSIA");
  await page.fill("#penalty-as-of", "2022-11-01");
  await page.fill("#penalty-due-day", "10");
  await page.click("#penalty-debts-add");
  await page.fill("#penalty-debts .penalty-debt-period", "2022-01");
  await page.fill("#penalty-debts .penalty-debt-amount", "5000");
  await page.click("#penalty-payments-add");
  await page.fill("#penalty-payments .penalty-payment-date", "2022-03-15");
  await page.fill("#penalty-payments .penalty-payment-amount", "2000");
  await page.click("#penalty-rates-add");
  await page.fill("#penalty-rates .penalty-rate-from", "2020-01-01");
  await page.fill("#penalty-rates .penalty-rate-percent", "9.5");
  await page.click("#penalty-compute");
  await page.waitForSelector("#penalty-total[data-total]");
  assert.equal(await page.getAttribute("#penalty-total", "data-total"), "84.77");
  assert.deepEqual(await page.$$eval("#penalty-table tbody tr", (trs) => trs.map((t) => t.dataset.amount)), ["4.75", "14.25", "65.77"]);
  await page.screenshot({ path: SHOTS + "penalty-statement.png", fullPage: true });
  // Its print form and spreadsheet, made of the same input.
  await page.click("#penalty-files .export-pdf-button");
  await page.waitForSelector("#penalty-files .export-xlsx:has(.export-pdf-button) a.download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, "#penalty-files .export-xlsx:has(.export-pdf-button) a.download", 4), {
    type: "application/pdf", head: "%PDF",
  });
  await page.click("#penalty-files .export-xlsx-button");
  await page.waitForSelector("#penalty-files .export-xlsx:has(.export-xlsx-button) a.download", { timeout: 60000 });
  // A debt of nothing is refused by its field.
  await page.fill("#penalty-debts .penalty-debt-amount", "0");
  await page.click("#penalty-compute");
  await page.waitForSelector('#penalty-debts .penalty-debt-amount[aria-invalid="true"]');
  assert.ok((await page.textContent("#penalty-error")).length > 0, "the refusal is said under the form");

  // A debtor's collection on the account card: a notice sent today, newest first.
  await page.click("#menu-subscribers");
  await page.fill("#account-search", "100003");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll('#accounts-table tr[data-number="100003"]').length === 1);
  await page.click('#accounts-table tr[data-number="100003"] td:nth-child(2)');
  await page.waitForSelector("#debt-case-form");
  await page.selectOption("#debt-status", "NOTICE_SENT");
  await page.fill("#debt-since", new Date().toISOString().slice(0, 10));
  await page.fill("#debt-comment", "Попередження № 7");
  await page.click("#debt-add");
  await page.waitForSelector('#debt-cases tr[data-status="NOTICE_SENT"]');
  assert.match(await page.textContent("#debt-cases"), /Попередження № 7/);
  // The account's own penalty statement on its card (folded): its real debts and payments.
  await page.click("#account-penalty-fold summary");
  await page.waitForSelector("#account-penalty #penalty-form");
  assert.equal(await page.locator("#account-penalty #penalty-account").count(), 0, "the account is fixed");
  await page.click("#account-penalty #penalty-compute");
  await page.waitForSelector("#account-penalty #penalty-total[data-total]");
  assert.ok(Number(await page.getAttribute("#account-penalty #penalty-total", "data-total")) >= 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a tenant admin schedules a report: the worker forms it, mails it and the run can be downloaded", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-reports");
  await page.waitForFunction(() => document.querySelectorAll("#report-kind option").length >= 3);
  await page.selectOption("#report-kind", "SUBSCRIBER_COUNTS");
  await page.click("#report-schedule");
  await page.waitForSelector("#schedule-form");
  // Daily from midnight: due at once, so the next tick forms it.
  await page.selectOption("#schedule-frequency", "daily");
  await page.fill("#schedule-hour", "0");
  await page.fill("#schedule-recipients", "not an address");
  await page.click("#schedule-save");
  await page.waitForSelector('#schedule-recipients[aria-invalid="true"]');
  const email = `board-${Date.now()}@${TENANT}.example`;
  await page.fill("#schedule-recipients", email);
  await page.fill("#schedule-title", "Абоненти для правління");
  await page.click("#schedule-save");
  await page.waitForSelector("#schedule-saved");
  const row = '#report-schedules tr.report-schedule[data-kind="SUBSCRIBER_COUNTS"]';
  await page.waitForSelector(row);
  assert.match(await page.textContent(row), /Абоненти для правління/);
  // The worker's tick starts the run; the list follows it to "done" and "mailed".
  await page.waitForSelector(`${row} .schedule-run[data-state="done"] .mailed`, { timeout: 90000 });
  assert.deepEqual(await fetchHead(page, `${row} .schedule-run a.download`, 2), {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", head: "PK",
  });
  const maildir = process.env.APP_TEST_MAILDIR;
  assert.ok(maildir, "APP_TEST_MAILDIR names the SMTP sink's Maildir (infra/test sets it)");
  const mails = readdirSync(join(maildir, "new"))
    .map((f) => readFileSync(join(maildir, "new", f), "utf8"))
    .filter((m) => m.includes(`To: ${email}`));
  assert.equal(mails.length, 1, `one message to ${email}`);
  assert.match(mails[0], /spreadsheetml/, "the report attached");
  await page.screenshot({ path: SHOTS + "report-schedules.png", fullPage: true });
  // Removed, it leaves the list (and no later tick forms it).
  await page.click(`${row} button.schedule-delete`);
  await page.waitForFunction((r) => !document.querySelector(r), row);
  assert.deepEqual(errors, []);
  await page.close();
});

test("each section opens on its dashboard: key figures and charts of what it holds", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.accountant`);
  for (const [menu, section, key] of [
    ["#menu-subscribers", "subscribers", "accounts"],
    ["#menu-meters", "meters", "working"],
    ["#menu-billing", "billing", "charged"],
    ["#menu-payments", "payments", "amount"],
    ["#menu-acts", "acts", "drafts"],
    ["#menu-legal-entities", "legal_entities", "accounts"],
    ["#menu-payment-import", "payment_import", "files"],
    ["#menu-reference-books", "reference_books", "services"],
  ]) {
    await page.click(menu);
    const figure = `#dashboard-${section} .dash-figure[data-key="${key}"]`;
    await page.waitForSelector(figure);
    assert.ok(Number(await page.getAttribute(figure, "data-value")) >= 0, `${section}: ${key}`);
    assert.ok(await page.locator(`#dashboard-${section} figure.dash svg`).count() >= 1, `${section} draws a chart`);
    if (!["acts", "payments", "payment_import"].includes(section)) {
      // The demo holds accounts (one a legal entity's), meters, last month's invoices and
      // services.
      assert.ok(Number(await page.getAttribute(figure, "data-value")) > 0, `${section}: ${key} of the demo`);
    }
    await page.screenshot({ path: `${SHOTS}dashboard-${section}.png` });
  }
  // The change log's, for a tenant admin (the accountant's role does not open it).
  const admin = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  admin.on("pageerror", (e) => errors.push(e.message));
  await signIn(admin, `${TENANT}.admin`);
  await admin.click("#menu-administration");
  await admin.waitForSelector('#dashboard-administration .dash-figure[data-key="week"]');
  assert.equal(await admin.locator("#dashboard-administration figure.dash svg").count(), 2, "by day and by record");
  await admin.screenshot({ path: `${SHOTS}dashboard-administration.png` });
  await admin.close();
  assert.deepEqual(errors, []);
  await page.close();
});
