// Acts in a real browser on the demo: an accountant makes a storno act over every
// service of a debtor, reads its results with their explanation, approves it and sees
// the account's invoice of the open month take it; a selection of drafts is approved at
// once from the register; the account card enters a correction.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SHOTS, TENANT, fetchHead, launch, pickBuilding, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const month = new Date().toISOString().slice(0, 7);
const cents = (v) => Math.round(Number(v) * 100);

async function openCard(page, number) {
  await page.click("#menu-subscribers");
  await page.fill("#account-search", number);
  await page.press("#account-search", "Enter");
  await page.waitForFunction((n) => document.querySelectorAll(`#accounts-table tr[data-number="${n}"]`).length === 1, number);
  await page.click(`#accounts-table tr[data-number="${number}"] td:nth-child(2)`);
  await page.waitForSelector("#card-title");
}

/** Forms the account's invoice of the open month and returns its correction column, in cents. */
async function recalculation(page) {
  await page.click("#form-invoice");
  await page.waitForSelector(`#billing-table #invoice-${month}`);
  return cents(await page.getAttribute(`#invoice-${month}`, "data-recalculation"));
}

/** Forms the invoice again and waits for its correction column to be `expected` cents. */
async function reformedTo(page, expected) {
  await page.click("#form-invoice");
  await page.waitForFunction(([m, c]) => {
    const row = document.querySelector(`#billing-table #invoice-${m}`);
    return row && Math.round(Number(row.dataset.recalculation) * 100) === c;
  }, [month, expected], { timeout: 10000 });
}

test("a storno act is made, explained, approved and moves the open invoice", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.accountant`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  // The debtor of the demo: its approved storno of 500.00 is already on the invoice.
  await openCard(page, "100019");
  const before = await recalculation(page);
  assert.ok(before <= -50000, `the demo's storno: ${before}`);

  // The register: the demo's acts, the approved one and the draft.
  await page.click("#menu-acts");
  await page.waitForSelector("#acts-table tbody tr");
  assert.ok(await page.locator('#acts-table tr[data-status="APPROVED"]').count() >= 2, "the demo's storno and fine");
  await page.selectOption("#acts-status", "DRAFT");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#acts-table tbody tr")];
    return rows.length > 0 && rows.every((r) => r.dataset.status === "DRAFT");
  });
  // The drafts as a spreadsheet.
  await page.click(".acts .export-xlsx-button");
  await page.waitForSelector(".acts a.download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, ".acts a.download", 2), {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", head: "PK",
  });
  await page.selectOption("#acts-status", "");

  // A new storno act: refused without an amount, saved as a draft with its results.
  await page.click("#act-new");
  await page.fill("#act-account", "100019");
  await page.waitForFunction(() => document.querySelector("#act-account-list option")?.value.startsWith("100019 "));
  await page.fill("#act-account", await page.getAttribute("#act-account-list option", "value"));
  await page.selectOption("#act-executor", { label: "Бондар Олена Петрівна" });
  await page.click("#act-save");
  await page.waitForSelector('.field-error[data-field="amount"]');
  await page.fill("#act-amount", "100");
  await page.fill("#act-comment", "Списання за актом звірки");
  await page.click("#act-save");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  assert.equal(await page.getAttribute("#act-panel", "data-total"), "-100.00");
  await page.click("#act-tab-results");
  await page.waitForSelector("#act-lines-table tbody tr");
  const amounts = await page.$$eval("#act-lines-table tbody tr[data-service] td[data-amount]", (cells) => cells.map((c) => c.dataset.amount));
  assert.ok(amounts.length >= 2, `spread over the services owing: ${amounts}`);
  assert.equal(amounts.reduce((s, a) => s + cents(a), 0), -10000);
  await page.waitForSelector("#act-lines-table tr.why li");
  assert.match(await page.textContent("#act-lines-table tr.why"), /Сторно -100 × борг/);
  await page.screenshot({ path: SHOTS + "act-results.png", fullPage: true });

  // Approved: the invoice of the open month takes it.
  await page.click("#act-approve");
  await page.waitForSelector('#act-panel[data-status="APPROVED"]');
  await openCard(page, "100019");
  await reformedTo(page, before - 10000);
  // The line's "why" names the act.
  await page.click(`#invoice-${month} button`);
  await page.waitForSelector("#invoice-lines tbody tr");
  await page.locator("#invoice-lines tbody tr .why").first().click();
  await page.waitForSelector("#invoice-lines tr.steps li");
  assert.match(await page.textContent("#invoice-lines tr.steps"), /Акт № \d+:/);

  // The demo's draft approved from the register's selection: 50.00 more.
  await page.click("#menu-acts");
  await page.selectOption("#acts-status", "DRAFT");
  await page.waitForSelector('#acts-table tbody tr[data-status="DRAFT"]');
  const drafts = await page.locator('#acts-table tbody tr[data-status="DRAFT"]').count();
  await page.locator('#acts-table tbody tr[data-status="DRAFT"] .act-pick').first().check();
  await page.click("#acts-approve");
  await page.waitForFunction((n) => document.querySelectorAll('#acts-table tbody tr[data-status="DRAFT"]').length === n - 1
    || document.querySelector('.table-state.empty[data-table="acts-table"]'), drafts);
  await openCard(page, "100019");
  await reformedTo(page, before - 15000);

  // The demo's recalculation over a house: its results explain each account's month.
  await page.click("#menu-acts");
  await page.selectOption("#acts-kind", "RECALCULATION");
  await page.waitForSelector('#acts-table tbody tr[data-kind="RECALCULATION"]');
  await page.click('#acts-table tbody tr[data-kind="RECALCULATION"] td:nth-child(2)');
  await page.waitForSelector("#act-tab-results");
  await page.click("#act-tab-results");
  await page.waitForSelector("#act-lines-table tr.why li");
  assert.match(await page.textContent("#act-lines-table tr.why"), /не надавалася 3 дн\.; у рахунку/);
  await page.click("#act-close");

  // A new one through the form: the same house, sewerage, two days of the month before.
  const prev = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
  await page.click("#act-new-recalculation");
  await page.selectOption("#act-scope", "building");
  await pickBuilding(page, "#act-building", "Хрещатик");
  await page.selectOption("#act-service", { label: "Водовідведення" });
  await page.fill("#act-from", `${prev}-20`);
  await page.fill("#act-to", `${prev}-21`);
  await page.selectOption("#act-basis", "INTERRUPTION");
  await page.selectOption("#act-executor", { label: "Бондар Олена Петрівна" });
  await page.click("#act-save");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  assert.ok(Number(await page.getAttribute("#act-panel", "data-total")) < 0, "less is charged");
  await page.click("#act-tab-results");
  await page.waitForSelector("#act-lines-table tbody tr[data-service]");
  assert.ok(await page.locator("#act-lines-table tbody tr[data-service]").count() >= 2, "the house's accounts");
  await page.click("#act-close");

  // Over every account: computed by a worker job, the form says so until its lines are there.
  await page.click("#act-new-recalculation");
  await page.selectOption("#act-scope", "all");
  await page.selectOption("#act-service", { label: "Водовідведення" });
  await page.fill("#act-from", `${prev}-22`);
  await page.fill("#act-to", `${prev}-22`);
  await page.selectOption("#act-executor", { label: "Бондар Олена Петрівна" });
  await page.click("#act-save");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  await page.waitForFunction(() => !document.querySelector("#act-computing")
    && Number(document.querySelector("#act-panel")?.dataset.total) < 0, null, { timeout: 60000 });
  await page.click("#act-close");
  await openCard(page, "100019");

  // A correction from the card, approved as it is entered.
  await page.waitForSelector("#correction-form");
  await page.selectOption("#correction-service", { label: "Водовідведення" });
  await page.fill("#correction-amount", "34");
  await page.click("#correction-save");
  await page.waitForSelector('#account-acts-table tr[data-kind="CORRECTION"][data-status="APPROVED"]');
  await reformedTo(page, before - 15000 + 3400);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Types an account number into a picker and takes the server's suggestion for it. */
async function pickAccount(page, id, number) {
  await page.fill(id, number);
  await page.waitForFunction(([list, n]) => document.querySelector(`${list} option`)?.value.startsWith(`${n} `), [`${id}-list`, number]);
  await page.fill(id, await page.getAttribute(`${id}-list option`, "value"));
}

/** `YYYY-MM` of the month `back` months before the open one. */
function monthsBack(back) {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 - back, 1)).toISOString().slice(0, 7);
}

test("a reading of a closed month is corrected and a late subsidy is booked, each with its specification", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.accountant`);
  await page.click("#menu-acts");
  await page.waitForSelector("#acts-table tbody tr");

  // The cold-water meter of 100001, its reading two months back one cubic metre higher.
  const twoBack = monthsBack(2);
  await page.click("#act-new-reading");
  await pickAccount(page, "#act-account", "100001");
  await page.waitForFunction(() => [...document.querySelectorAll("#act-meter option")].some((o) => o.textContent.includes("Холодне")));
  const meter = await page.$$eval("#act-meter option", (os) => os.find((o) => o.textContent.includes("Холодне")).value);
  await page.selectOption("#act-meter", meter);
  await page.fill("#act-reading-period", twoBack);
  await page.waitForSelector("#act-reading-was[data-current]");
  const stood = Number(await page.getAttribute("#act-reading-was", "data-current"));
  await page.fill("#act-reading-value", String(stood + 1));
  await page.selectOption("#act-executor", { label: "Бондар Олена Петрівна" });
  await page.click("#act-save");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  // Its specification: the month corrected and the next one, each with its issued invoice.
  await page.click("#act-tab-specification");
  await page.waitForSelector("#act-months-table tbody tr[data-period]");
  const months = await page.$$eval("#act-months-table tbody tr[data-period]", (rows) => [...new Set(rows.map((r) => r.dataset.period))]);
  assert.ok(months.includes(twoBack) && months.includes(monthsBack(1)), `both months: ${months}`);
  assert.deepEqual(await fetchHead(page, "#act-months-table a.act-invoice", 4), { type: "application/pdf", head: "%PDF" });
  await page.screenshot({ path: SHOTS + "act-specification.png", fullPage: true });
  await page.click("#act-approve");
  await page.waitForSelector('#act-panel[data-status="APPROVED"]');
  await page.click("#act-unapprove");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  await page.click("#act-close");

  // A subsidy of last month arriving late for 100002's cold water: less to pay.
  await page.click("#act-new-data");
  await pickAccount(page, "#act-account", "100002");
  const last = monthsBack(1);
  await page.fill("#act-from", `${last}-01`);
  await page.fill("#act-to", `${last}-28`);
  await page.click("#act-subsidies-add");
  await page.selectOption("#act-subsidies .act-news-pick", { label: "Холодне водопостачання" });
  await page.fill("#act-subsidies .act-news-period", last);
  await page.fill("#act-subsidies .act-news-amount", "10");
  await page.selectOption("#act-executor", { label: "Бондар Олена Петрівна" });
  await page.click("#act-save");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  assert.ok(Number(await page.getAttribute("#act-panel", "data-total")) < 0, "a subsidy takes off the debt");
  await page.click("#act-tab-results");
  await page.waitForSelector("#act-lines-table tr.why li");
  assert.match(await page.textContent("#act-lines-table tr.why"), /з новими даними/);
  await page.click("#act-close");

  // A payment of last month returned by the bank: a data update over 100003 closes it,
  // and the amount is owed again (the step says so); back in draft and deleted after.
  await page.click("#act-new-data");
  await pickAccount(page, "#act-account", "100003");
  await page.fill("#act-from", `${last}-01`);
  await page.fill("#act-to", `${last}-28`);
  await page.waitForSelector("#act-payments input.act-payment");
  const closing = await page.$$eval("#act-payments label", (ls, m) => {
    const l = ls.find((x) => x.textContent.startsWith(m));
    return l ? l.querySelector("input").dataset.payment : null;
  }, last);
  assert.ok(closing, "100003 paid last month");
  await page.check(`#act-payments input[data-payment="${closing}"]`);
  await page.selectOption("#act-executor", { label: "Бондар Олена Петрівна" });
  await page.click("#act-save");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  assert.ok(Number(await page.getAttribute("#act-panel", "data-total")) > 0, "the payment is owed again");
  await page.click("#act-approve");
  await page.waitForSelector('#act-panel[data-status="APPROVED"]');
  await page.click("#act-tab-results");
  await page.waitForSelector("#act-lines-table tr.why li");
  assert.match(await page.textContent("#act-lines-table tr.why"), /закрито/);
  await page.click("#act-tab-act");
  await page.waitForSelector(`#act-payments input[data-payment="${closing}"]:checked`);
  await page.click("#act-unapprove");
  await page.waitForSelector('#act-panel[data-status="DRAFT"]');
  await page.click("#act-delete");
  await page.waitForSelector("#act-panel", { state: "detached" });

  // Over a house, the data update offers the house's meters for a top-up; the demo's
  // own data update (a late subsidy) is approved in the register.
  await page.click("#act-new-data");
  await page.selectOption("#act-scope", "building");
  await pickBuilding(page, "#act-building", "Хрещатик");
  await page.click("#act-tops-add");
  await page.waitForFunction(() => document.querySelectorAll("#act-tops .act-news-pick option").length > 1);
  await page.click("#act-close");

  // The register finds them by kind and by account.
  await page.selectOption("#acts-kind", "DATA_UPDATE");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#acts-table tbody tr")];
    return rows.length > 0 && rows.every((r) => r.dataset.kind === "DATA_UPDATE");
  });
  assert.ok(await page.locator('#acts-table tbody tr[data-kind="DATA_UPDATE"][data-status="APPROVED"]').count() >= 1, "the demo's late subsidy");
  await page.selectOption("#acts-kind", "");
  await pickAccount(page, "#acts-account", "100001");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#acts-table tbody tr")];
    return rows.some((r) => r.dataset.kind === "READING_CORRECTION") && rows.every((r) => r.textContent.includes("100001"));
  });
  assert.deepEqual(errors, []);
  await page.close();
});
