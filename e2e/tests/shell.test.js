// The walking skeleton in a real browser: the Yew client, served by the backend, shows
// data that came from PostgreSQL through GraphQL, in the tenant's language, and can run
// a background job and show its state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE, PASSWORD, SHOTS, TENANT, fetchHead, launch, pickBuilding, signIn } from "./browser.js";

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
    "Абоненти", "Юридичні особи", "Лічильники", "Розрахунок", "Довідники",
    "Імпорт платежів", "Платежі", "Імпорт даних", "Акти", "Звіти", "Налаштування", "Адміністрування",
  ]);
  // The demo utility: 41 accounts, twenty a page; the panel's debt is the sum of them all.
  assert.equal((await page.textContent("#summary-accounts .summary-value")).trim(), "41");
  const rows = page.locator("#accounts-table tbody tr");
  assert.equal(await rows.count(), 20);
  assert.match(await page.textContent(".subscribers .pager span"), /^1–20 з 41$/);
  // The first cell holds the tick box of group operations.
  const first = await rows.nth(0).locator("td").allTextContents();
  assert.deepEqual(first.slice(1, 4), ["100001", "Фролов Степан Іванович", "Київ, вул. Хрещатик, 2, кв. 45"]);
  let cents = 0;
  for (let pageNo = 0; ; pageNo++) {
    const balances = await page.locator("#accounts-table tbody tr td.balance").evaluateAll((cells) => cells.map((c) => c.dataset.amount));
    cents += balances.reduce((s, b) => s + Math.round(Number(b) * 100), 0);
    const next = page.locator(".subscribers .pager button").nth(1);
    if (await next.isDisabled()) break;
    const top = await page.getAttribute("#accounts-table tbody tr", "data-number");
    await next.click();
    await page.waitForFunction((n) => document.querySelector("#accounts-table tbody tr")?.dataset.number !== n, top);
  }
  assert.equal(await page.getAttribute("#summary-debt", "data-amount"), (cents / 100).toFixed(2));
  // Shown as Ukrainian writes money: groups of thousands, a decimal comma, the hryvnia sign.
  const shown = (cents / 100).toFixed(2).replace(".", ",").replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  assert.equal((await page.textContent("#summary-debt .summary-value")).trim().replace(/[\u202f\u00a0 ]/g, "\u00a0"), `${shown}\u00a0₴`);
  assert.ok(await page.isVisible("#sign-out"));
  assert.equal((await page.textContent("#current-user")).trim(), "Demo admin");
  await page.screenshot({ path: SHOTS + "shell.png" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("language switch translates the UI and is remembered", async () => {
  const { page } = await openApp();
  await page.selectOption("#lang-select", "en");
  await page.waitForFunction(() => document.querySelector("#menu-subscribers")?.textContent.trim() === "Subscribers");
  assert.match((await page.textContent("#accounts-table th[data-sort=\"number\"]")).trim(), /^Account( ▲)?$/);
  await page.reload();
  await page.waitForSelector("#accounts-table tbody tr");
  assert.equal((await page.textContent("#menu-meters")).trim(), "Meters");
  await page.selectOption("#lang-select", "ru");
  await page.waitForFunction(() => document.querySelector("#menu-meters")?.textContent.trim() === "Счётчики");
  // Bulgarian and Kazakh: the menu, the list's headers and its amounts in their forms.
  await page.selectOption("#lang-select", "bg");
  await page.waitForFunction(() => document.querySelector("#menu-meters")?.textContent.trim() === "Уреди");
  assert.match((await page.textContent("#accounts-table th[data-sort=\"number\"]")).trim(), /^Партида( ▲)?$/);
  assert.equal((await page.textContent("#sign-out")).trim(), "Изход");
  await page.selectOption("#lang-select", "kk");
  await page.waitForFunction(() => document.querySelector("#menu-meters")?.textContent.trim() === "Есептеуіштер");
  assert.match((await page.textContent("#accounts-table th[data-sort=\"number\"]")).trim(), /^Дербес шот( ▲)?$/);
  assert.equal((await page.textContent("#menu-subscribers")).trim(), "Абоненттер");
  // The dashboard's words come from the server, asked again in the chosen language.
  await page.waitForFunction(() => document.body.textContent.includes("Ашық дербес шоттар"));
  await page.reload();
  await page.waitForSelector("#accounts-table tbody tr");
  assert.equal((await page.textContent("#menu-payments")).trim(), "Төлемдер");
  await page.waitForFunction(() => document.body.textContent.includes("Ашық дербес шоттар"));
  await page.screenshot({ path: SHOTS + "shell-kk.png" });
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test("every screen has a URL: a reload keeps the account card, Back closes it, links open tabs", async () => {
  const { page, errors } = await openApp();
  // The start page sends the admin to the first section of the menu, replacing itself.
  await page.waitForURL(`${BASE}/subscribers`);
  await page.click('#accounts-table tr[data-number="100001"]');
  await page.waitForSelector("#card-title");
  assert.match(new URL(page.url()).pathname, /^\/subscribers\/\d+$/);
  const linked = page.url();
  await page.reload();
  await page.waitForSelector("#card-title", { timeout: 30000 });
  assert.match(await page.textContent("#card-title"), /100001 — Фролов Степан/);
  await page.goBack();
  await page.waitForURL(`${BASE}/subscribers`);
  assert.equal(await page.locator("#card-title").count(), 0);
  await page.goForward();
  await page.waitForSelector("#card-title");
  // The menu and the tabs are links: a shared link opens the same tab.
  assert.equal(await page.getAttribute("#menu-meters", "href"), "/meters");
  await page.goto(`${BASE}/administration/roles`);
  await page.waitForSelector("#tab-roles.active", { timeout: 30000 });
  await page.click("#tab-audit");
  await page.waitForURL(`${BASE}/administration/audit`);
  await page.goBack();
  await page.waitForSelector("#tab-roles.active");
  await page.goto(`${BASE}/payments/batches`);
  await page.waitForSelector("#payments-tab-batches.active", { timeout: 30000 });
  // A path that is no screen says so and offers the way back.
  await page.goto(`${BASE}/no-such-screen`);
  await page.waitForSelector("#not-found", { timeout: 30000 });
  assert.match(await page.textContent("#not-found"), /Такої сторінки немає/);
  await page.click("#go-home");
  await page.waitForURL(`${BASE}/subscribers`);
  // A deep link opened signed out survives the sign-in.
  const fresh = await browser.newPage();
  await fresh.goto(linked);
  await fresh.waitForSelector("#login-name", { timeout: 30000 });
  await fresh.fill("#login-name", `${TENANT}.admin`);
  await fresh.fill("#login-password", PASSWORD);
  await fresh.click("#login-submit");
  await fresh.waitForSelector("#card-title", { timeout: 30000 });
  assert.equal(fresh.url(), linked);
  await fresh.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test("the sign-in page offers the languages and remembers the choice", async () => {
  const page = await browser.newPage();
  await page.goto(BASE);
  await page.waitForSelector("#login-lang", { timeout: 30000 });
  await page.selectOption("#login-lang", "en");
  await page.waitForFunction(() => document.querySelector("#login-submit")?.textContent.trim() === "Sign in");
  await signIn(page, `${TENANT}.admin`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  assert.equal((await page.textContent("#menu-subscribers")).trim(), "Subscribers");
  assert.equal((await page.textContent("#sign-out")).trim(), "Sign out");
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test("search narrows the account list", async () => {
  const { page } = await openApp();
  await page.fill("#account-search", "Іваненко");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length === 1);
  assert.equal((await page.locator("#accounts-table tbody tr td:nth-child(2)").first().textContent()).trim(), "100004");
  await page.close();
});

test("export by e-mail goes to the user's own address as a job whose state reaches done", async () => {
  const { page } = await openApp();
  // The form starts with the address of the user's card; the server mails no other.
  const email = `admin@${TENANT}.example`;
  await page.waitForFunction((e) => document.querySelector("#export-email").value === e, email);
  const maildir = process.env.APP_TEST_MAILDIR;
  assert.ok(maildir, "APP_TEST_MAILDIR names the SMTP sink's Maildir (infra/test sets it)");
  const mailsTo = () => readdirSync(join(maildir, "new"))
    .map((f) => readFileSync(join(maildir, "new", f), "utf8"))
    .filter((m) => m.includes(`To: ${email}`)).length;
  const before = mailsTo();
  await page.click("form.export button");
  await page.waitForSelector("#export-status.done", { timeout: 60000 });
  assert.match(await page.textContent("#export-status"), /100%/);
  await page.screenshot({ path: SHOTS + "export-done.png" });
  assert.equal(mailsTo(), before + 1, `one more message to ${email} in ${maildir}`);
  // Another address is refused, naming the field.
  await page.fill("#export-email", "someone.else@example.com");
  await page.click("form.export button");
  await page.waitForSelector("#export-status.error");
  assert.match(await page.textContent("#export-status"), /^e-mail: має бути вашою власною адресою/);
  await page.close();
});

test("a bad e-mail address is refused with a message naming the field", async () => {
  const { page } = await openApp();
  // The field is plain text: the server checks the address, in the user's language.
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
  const descending = () => {
    const v = [...document.querySelectorAll("#accounts-table tbody tr td.balance")].map((c) => Number(c.dataset.amount));
    return v.length > 1 && v[0] > v[v.length - 1] && v.every((x, i) => i === 0 || v[i - 1] >= x);
  };
  await page.waitForFunction(descending);
  await page.click(".subscribers .export-xlsx-button");
  await page.waitForSelector(".subscribers a.download", { timeout: 60000 });
  const href = await page.getAttribute(".subscribers a.download", "href");
  const resp = await page.request.get(new URL(href, BASE).toString());
  assert.equal(resp.status(), 200);
  assert.match(resp.headers()["content-type"], /spreadsheetml/);
  const body = await resp.body();
  assert.equal(body.subarray(0, 2).toString(), "PK", "an XLSX (zip) file");
  // The finished job is also told in a toast, with the same file.
  await page.waitForSelector(".toasts .toast a.toast-file");
  assert.equal(await page.getAttribute(".toasts .toast a.toast-file", "href"), href);
  assert.equal((await page.textContent(".toasts .toast .toast-text")).trim(), "Файл готовий");
  await page.click(".toasts .toast .toast-close");
  await page.waitForSelector(".toasts .toast", { state: "detached" });
  await page.close();
});

test("tables: rows open from the keyboard, a hidden column stays hidden, the header stays in view", async () => {
  const { page, errors } = await openApp();
  // Arrow keys walk the rows, Enter opens the one in focus.
  const second = await page.getAttribute("#accounts-table tbody tr:nth-child(2)", "data-number");
  await page.focus("#accounts-table tbody tr:first-child");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.number), second);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#card-title");
  assert.match(await page.textContent("#card-title"), new RegExp(second));
  await page.goBack();
  await page.waitForSelector("#accounts-table tbody tr");
  // The column choice: the branch column goes, and is still gone after a reload.
  const heads = () => page.locator("#accounts-table thead th").allTextContents();
  assert.ok((await heads()).some((h) => h.trim() === "Філія"));
  await page.click(".subscribers details.columns summary");
  await page.uncheck('.subscribers details.columns input[data-column="branch"]');
  assert.ok(!(await heads()).some((h) => h.trim() === "Філія"));
  await page.reload();
  await page.waitForSelector("#accounts-table tbody tr");
  assert.ok(!(await heads()).some((h) => h.trim() === "Філія"));
  // On a phone card every cell says which column it is.
  const labels = await page.locator("#accounts-table tbody tr:first-child td").evaluateAll((cells) => cells.map((c) => c.dataset.label ?? ""));
  assert.ok(labels.includes("ОР") && labels.includes("Сальдо"), labels.join("|"));
  await page.evaluate(() => localStorage.removeItem("table-columns:accounts-table"));
  // A long list scrolls in its own box under a header that stays in view.
  await page.goto(`${BASE}/administration/audit`);
  await page.waitForSelector("#audit-table tbody tr:nth-child(40)");
  const [wrapTop, headTop] = await page.evaluate(() => {
    const wrap = document.querySelector("#audit-table").closest(".table-wrap");
    wrap.scrollTop = 400;
    return [wrap.getBoundingClientRect().top, document.querySelector("#audit-table thead th").getBoundingClientRect().top];
  });
  assert.ok(Math.abs(headTop - wrapTop) < 2, `header at ${headTop}, box at ${wrapTop}`);
  // A header click sorts the rows it holds; a second click reverses.
  await page.click('#audit-table th[data-sort="user"] button');
  const users = () => page.locator("#audit-table tbody td:nth-child(2)").allTextContents();
  const asc = await users();
  // As Ukrainian sorts: the browser's collation, numbers by value.
  const collator = new Intl.Collator("uk-UA", { sensitivity: "accent", numeric: true });
  assert.deepEqual(asc, [...asc].sort(collator.compare));
  assert.equal(await page.getAttribute('#audit-table th[data-sort="user"]', "aria-sort"), "ascending");
  await page.click('#audit-table th[data-sort="user"] button');
  assert.equal(await page.getAttribute('#audit-table th[data-sort="user"]', "aria-sort"), "descending");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the account card's history lists its charges and payments, filtered by operation", async () => {
  const { page, errors } = await openApp();
  await page.click('#accounts-table tr[data-number="100001"]');
  await page.waitForSelector("#history-table tbody tr");
  const count = Number(await page.getAttribute("#history-totals", "data-count"));
  assert.ok(count > 10, `three months of charges and the payments: ${count}`);
  assert.match(await page.textContent("#history-totals"), /^Знайдено операцій: \d+ · їхній вплив на сальдо: /);
  const only = (kind) => page.waitForFunction((k) => {
    const rows = [...document.querySelectorAll("#history-table tbody tr")];
    return rows.length > 0 && rows.every((r) => r.dataset.kind === k);
  }, kind);
  await page.selectOption("#history-kind", "PAYMENT");
  await only("PAYMENT");
  assert.ok(Number(await page.getAttribute("#history-totals", "data-sum")) < 0, "payments take from the balance");
  assert.match(await page.textContent("#history-table tbody tr"), /Оплата/);
  await page.selectOption("#history-kind", "CHARGE");
  await only("CHARGE");
  assert.ok(Number(await page.getAttribute("#history-totals", "data-count")) < count);
  // The account's reconciliation statement.
  assert.deepEqual(await fetchHead(page, "#statement-pdf"), { type: "application/pdf", head: "%PDF-" });
  // The charges found, as a spreadsheet.
  await page.click("#account-history .export-xlsx-button");
  await page.waitForSelector("#account-history .export-xlsx a.download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, "#account-history .export-xlsx a.download", 2), {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", head: "PK",
  });
  assert.deepEqual(errors, []);
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
  // She moved out: the count drops, the record stays; then it is removed as a mistake.
  await page.fill("#resident-moved-out", "2026-11-15");
  await page.click('#residents-table tr[data-resident="Фролова Ганна"] .moved-out');
  await page.waitForFunction(() => /\(2\)/.test(document.querySelector("#account-card h4")?.textContent));
  assert.match(await page.textContent('#residents-table tr[data-resident="Фролова Ганна"]'), /2026-11-01 — 2026-11-15/);
  await page.click('#residents-table tr[data-resident="Фролова Ганна"] .delete');
  await page.waitForFunction(() => document.querySelectorAll("#residents-table tbody tr").length === 2);
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
  // Sent empty, the form says what is missing under the field, in the user's language.
  await page.click("#na-submit");
  await page.waitForSelector('#new-account .field-error[data-field="premisesId"]');
  assert.match(await page.textContent('#new-account .field-error[data-field="premisesId"]'), /оберіть будинок і приміщення/);
  await page.fill("#na-last", "Мирошниченко");
  await page.fill("#na-first", "Ярина");
  await pickBuilding(page, "#na-building", "Незалежності, 21");
  await page.waitForFunction(() => document.querySelectorAll("#na-premises option").length === 5);
  await page.selectOption("#na-premises", { label: "3" });
  await page.fill("#na-opened", "2026-11-01");
  await page.click("#na-submit");
  await page.waitForSelector("#card-title");
  assert.match(await page.textContent("#card-title"), /— Мирошниченко Ярина/);
  assert.match(await page.textContent("#account-card dl"), /Бровари, Незалежності, 21, кв\. 3/);
  await page.close();
});

test("selected accounts get a service in one go; the card lists it and removes it", async () => {
  const { page } = await openApp();
  // Two accounts of просп. Перемоги, 1, a house without hot water.
  await page.fill("#account-search", "Перемоги");
  await page.press("#account-search", "Enter");
  await page.waitForSelector('#accounts-table tr[data-number="100023"]');
  for (const n of ["100002", "100023"]) {
    await page.check(`#accounts-table tr[data-number="${n}"] .pick-account`);
  }
  assert.equal(await page.locator("#account-card").count(), 0, "ticking does not open the card");
  await page.waitForSelector("#group-operations");
  await page.waitForSelector('#group-service option:has-text("Гаряче водопостачання")', { state: "attached" });
  await page.selectOption("#group-service", { label: "Гаряче водопостачання" });
  await page.fill("#group-from", "2026-11-01");
  await page.click("#group-apply");
  await page.waitForFunction(() => document.querySelector("#group-result")?.textContent.includes("Змінено: 2"));
  // Again: both already have it, and the result says so for each.
  await page.click("#group-apply");
  await page.waitForFunction(() => document.querySelector("#group-result")?.textContent.includes("Пропущено: 2"));
  assert.match(await page.textContent("#group-result .skipped"), /100002 — вже має цю послугу в цьому періоді/);
  await page.screenshot({ path: SHOTS + "group-operations.png" });

  await page.click('#accounts-table tr[data-number="100002"] td:nth-child(2)');
  await page.waitForSelector('#account-services-table tr:has-text("Гаряче водопостачання")');
  const rows = () => page.locator("#account-services-table tbody tr").count();
  assert.equal(await rows(), 5, "the demo's cold water, sewerage, heating and upkeep, and hot water");
  await page.click('#account-services-table tr:has-text("Гаряче водопостачання") .delete');
  await page.waitForFunction(() => document.querySelectorAll("#account-services-table tbody tr").length === 4);
  await page.close();
});

test("a benefit is granted with a family member, ended for both; a subsidy is entered", async () => {
  const { page } = await openApp();
  // Коваленко's household (three living there) has no benefit in the demo.
  await page.click('#accounts-table tr[data-number="100009"] td:nth-child(2)');
  await page.waitForSelector('#beneficiary-benefit option:has-text("Ветеран праці")', { state: "attached" });
  await page.selectOption("#beneficiary-benefit", { label: "Ветеран праці" });
  await page.fill("#beneficiary-from", "2026-01-01");
  await page.fill("#beneficiary-document", "посвідчення АБ 123456");
  await page.locator('#add-beneficiary input[name="member"]').nth(1).check();
  await page.click("#beneficiary-add");
  await page.waitForSelector("#beneficiaries-table tbody tr");
  const row = "#beneficiaries-table tbody tr";
  assert.match(await page.textContent(`${row} .members`), /\S/, "the member is listed");

  await page.fill("#benefit-end-on", "2026-12-31");
  await page.click(`${row} .end-benefit`);
  await page.waitForFunction((r) => document.querySelector(`${r} .members`)?.textContent.includes("2026-12-31"), row);
  assert.match(await page.textContent(row), /2026-01-01 — 2026-12-31/);

  await page.selectOption("#money-service", { label: "Холодне водопостачання" });
  // The subsidy of the open month (closed months change only through acts).
  const open = new Date().toISOString().slice(0, 7);
  await page.fill("#money-period", open);
  await page.fill("#money-amount", "100,50");
  await page.click("#subsidy-save");
  await page.waitForSelector('#subsidies-table td:has-text("100,50")');

  // A restructuring agreement: the schedule adds up to the debt, the last month takes the rest.
  const later = (months) => {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.toISOString().slice(0, 7);
  };
  // The debt starts from what the account owes (its balance, when positive).
  const balance = await page.getAttribute("#card-balance", "data-amount");
  const owes = !balance.startsWith("-") && /[1-9]/.test(balance);
  assert.equal(await page.inputValue("#restructuring-debt"), owes ? balance : "");
  await page.fill("#restructuring-number", "Р-100009");
  await page.fill("#restructuring-signed", new Date().toISOString().slice(0, 10));
  await page.fill("#restructuring-debt", "1000");
  await page.fill("#restructuring-months", "3");
  await page.fill("#restructuring-first", later(1));
  await page.click("#restructuring-add");
  await page.waitForSelector(`#restructurings-table td.schedule:has-text("${later(3)} 333.34")`);
  // How it is kept, month by month: three instalments, none of them reached yet.
  const kept = "details.agreement-kept[open] tbody tr";
  await page.waitForFunction((s) => document.querySelectorAll(s).length === 3, kept);
  assert.match(await page.textContent(`${kept}:first-child`), new RegExp(later(1)));
  assert.equal(await page.$$eval(`${kept} td.behind`, (cells) => cells.length), 0);
  await page.screenshot({ path: SHOTS + "account-benefits.png", fullPage: true });
  await page.close();
});

test("a legal entity is added, signs a contract with its own account, and gets a metering point", async () => {
  const { page } = await openApp();
  await page.click("#menu-legal-entities");
  await page.fill("#le-name", "ТОВ «Весна»");
  await page.fill("#le-tax", "12345678");
  await page.fill("#le-address", "Бровари, вул. Лісова, 1");
  await page.click("#le-submit");
  await page.waitForSelector("#legal-title");
  assert.equal((await page.textContent("#legal-title")).trim(), "ТОВ «Весна»");

  await page.fill("#contract-number", "Д-17/2026");
  await page.fill("#contract-signed", "2026-11-01");
  await pickBuilding(page, "#contract-building", "");
  await page.waitForSelector("#contract-premises option:nth-child(2)", { state: "attached" });
  await page.selectOption("#contract-premises", { index: 1 });
  await page.click("#contract-submit");
  await page.waitForSelector('.contract[data-number="Д-17/2026"]');
  assert.match(await page.textContent('.contract[data-number="Д-17/2026"] h4'), /Д-17\/2026 \(2026-11-01\)/);

  await page.fill("#point-name", "Ввід 1");
  await page.click('.contract[data-number="Д-17/2026"] .add-point');
  await page.waitForSelector('.metering-point:has-text("Ввід 1")');

  // The list finds it by the contract's account number.
  await page.fill("#legal-search", "Весна");
  await page.click("#legal-entities .search button, .legal-entities .search button");
  await page.waitForFunction(() => document.querySelectorAll("#legal-table tbody tr").length === 1);
  assert.match(await page.textContent("#legal-table tbody tr"), /ТОВ «Весна».*12345678/);
  await page.screenshot({ path: SHOTS + "legal-entities.png", fullPage: true });
  await page.close();
});

test("the building card takes its characteristics, price list and services", async () => {
  const { page } = await openApp();
  await page.click("#menu-administration");
  await page.click("#tab-buildings");
  await page.waitForSelector("#buildings-table tbody tr.clickable");
  await page.click("#buildings-table tbody tr.clickable");
  await page.waitForSelector("#building-editor");
  await page.fill("#be-floors", "9");
  await page.fill("#be-year", "1978");
  await page.fill("#be-total", "4 120,5");
  await page.waitForSelector('#be-price-list option:has-text("Базовий")', { state: "attached" });
  await page.selectOption("#be-price-list", { label: "Базовий" });
  // Tariffs "after the 20th": the list an invoice paid after the due day is charged at.
  await page.selectOption("#be-late-price-list", { label: "Після 20 числа" });
  await page.locator('#building-editor input[name="building-service"]').first().check();
  await page.click("#be-save");
  await page.waitForFunction(() => document.querySelector("#be-message")?.textContent === "Готово");
  // Saved: opened again, the card shows what was stored.
  await page.click("#tab-users");
  await page.click("#tab-buildings");
  await page.waitForSelector("#buildings-table tbody tr.clickable");
  await page.click("#buildings-table tbody tr.clickable");
  await page.waitForFunction(() => document.querySelector("#be-total")?.value === "4120.5");
  assert.equal(await page.inputValue("#be-floors"), "9");
  // The lists come with the card's choices, a moment after the card itself.
  await page.waitForFunction(() => document.querySelector("#be-late-price-list")?.selectedOptions[0]?.textContent === "Після 20 числа");
  await page.fill("#be-year", "1066");
  await page.click("#be-save");
  await page.waitForFunction(() => document.querySelector("#be-message")?.textContent.includes("рік побудови"));
  // Back to one list whatever the payment date, so later tests' amounts stay as they are.
  await page.fill("#be-year", "1978");
  await page.selectOption("#be-late-price-list", "");
  await page.click("#be-save");
  await page.waitForFunction(() => document.querySelector("#be-message")?.textContent === "Готово");
  await page.close();
});

test("a second account is opened for an existing subscriber found by name", async () => {
  const { page } = await openApp();
  await page.click("#new-account-button");
  await page.check("#na-who-existing");
  await page.fill("#na-lookup", "Мирошниченко");
  await page.waitForSelector('#na-existing option:has-text("Мирошниченко Ярина")', { state: "attached" });
  await pickBuilding(page, "#na-building", "Незалежності, 21");
  await page.waitForFunction(() => document.querySelectorAll("#na-premises option").length === 5);
  await page.selectOption("#na-premises", { label: "4" });
  await page.fill("#na-opened", "2026-11-01");
  await page.click("#na-submit");
  await page.waitForSelector("#card-title");
  assert.match(await page.textContent("#card-title"), /— Мирошниченко Ярина/);
  assert.match(await page.textContent("#account-card dl"), /Незалежності, 21, кв\. 4/);
  await page.close();
});

test("a meter is registered in an apartment, takes readings typed and imported, is found with its account, and taken out", async () => {
  const { page } = await openApp();
  await page.click("#menu-meters");
  await page.waitForSelector("#new-meter");
  await pickBuilding(page, "#meter-building", "Незалежності, 21");
  await page.waitForFunction(() => document.querySelectorAll("#meter-premises option").length === 5);
  await page.selectOption("#meter-premises", { label: "3" });
  await page.waitForSelector('#meter-service option:has-text("Холодне водопостачання")', { state: "attached" });
  await page.selectOption("#meter-service", { label: "Холодне водопостачання" });
  await page.fill("#meter-serial", "ХВ-777001");
  await page.fill("#meter-installed", "2026-11-01");
  await page.fill("#meter-initial", "0");
  await page.click("#meter-submit");
  const initialError = '#new-meter .field-error[data-field="initialReading"]';
  await page.waitForSelector(initialError);
  assert.match(await page.textContent(initialError), /початкові показники/, "a zero initial reading is refused under its field");
  await page.fill("#meter-initial", "1,5");
  await page.click("#meter-submit");
  await page.waitForFunction(() => document.querySelector("#new-meter-message")?.textContent === "✓ ХВ-777001");
  // Among the demo's meters: found by its number.
  await page.fill("#meter-search", "777");
  await page.press("#meter-search", "Enter");
  await page.waitForSelector('#meters-table tr[data-serial="ХВ-777001"]');
  assert.match(await page.textContent('#meters-table tr[data-serial="ХВ-777001"]'), /Незалежності, 21, кв\. 3/);

  // A building meter becomes the apartment meter's main meter.
  await pickBuilding(page, "#meter-building", "Незалежності, 21");
  await page.fill("#meter-serial", "Б-777");
  await page.click("#meter-submit");
  await page.waitForFunction(() => document.querySelector("#new-meter-message")?.textContent === "✓ Б-777");
  await page.waitForSelector('#meters-table tr[data-serial="Б-777"]');
  await page.check('#meters-table tr[data-serial="ХВ-777001"] .pick-meter');
  await page.waitForSelector("#meter-hierarchy");
  await page.click("#assign-main");
  await page.waitForFunction(() => document.querySelector("#hierarchy-result")?.textContent.includes("Змінено: 1"));
  assert.match(await page.textContent("#hierarchy-result"), /переформувати/);
  await page.waitForFunction(() => document.querySelector('#meters-table tr[data-serial="ХВ-777001"] .main-meter')?.textContent === "Б-777");

  // A reading typed in the row; one below the previous is refused with the reason.
  const row = '#meters-table tr[data-serial="ХВ-777001"]';
  await page.fill(row + " .reading-input", "1");
  await page.press(row + " .reading-input", "Enter");
  await page.waitForSelector(row + " .reading-error");
  assert.match(await page.textContent(row + " .reading-error"), /попереднього показання 1\.5/);
  await page.fill(row + " .reading-input", "9,5");
  await page.press(row + " .reading-input", "Enter");
  await page.waitForFunction((r) => document.querySelector(r + " .last-reading")?.textContent.startsWith("9.5 (Ф)"), row);
  // Its history: the period's row and the consumption chart.
  await page.click(row + " .meter-history");
  await page.waitForSelector("#reading-history tbody tr");
  assert.match(await page.textContent("#reading-history tbody tr"), /1,5.*9,5.*8.*Ф/);
  await page.waitForSelector("#reading-chart rect");
  await page.waitForSelector("#meter-changes tbody tr");
  await page.waitForSelector('#meter-changes td[data-action="create"]');
  assert.match(await page.textContent('#meter-changes td[data-action="create"]'), /Створення/);
  // The history is a drawer over the list: titled with the meter, holding the focus;
  // Escape closes it and the focus goes back to the button that opened it.
  assert.match(await page.textContent("#history-drawer-title"), /ХВ-777001/);
  assert.equal(await page.getAttribute("#history-drawer", "role"), "dialog");
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains("drawer-close")));
  await page.keyboard.press("Escape");
  await page.waitForSelector("#history-drawer", { state: "detached" });
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains("meter-history")));

  // A CSV of readings imported by the worker: one taken, one in the protocol.
  await page.setInputFiles("#readings-file", {
    name: "readings.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("Лічильник;Показання\nХВ-777001;10,25\nНЕМА-1;5\n"),
  });
  await page.click("#readings-import-start");
  await page.waitForSelector("#import-result", { timeout: 60000 });
  assert.match(await page.textContent("#import-result"), /Завантажено: 1 · Без змін: 0 · Не завантажено: 1/);
  assert.match(await page.textContent("#import-protocol tbody tr"), /НЕМА-1.*робочого лічильника не знайдено/);
  await page.screenshot({ path: SHOTS + "meters.png", fullPage: true });

  // The account list finds the apartment's account by the meter's number.
  await page.click("#menu-subscribers");
  await page.fill("#account-search", "ХВ-777001");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length === 1);
  assert.match(await page.textContent("#accounts-table tbody tr"), /Мирошниченко Ярина/);

  // Taken out of service: it moves to the archive.
  await page.click("#menu-meters");
  await page.fill("#meter-search", "777");
  await page.press("#meter-search", "Enter");
  await page.waitForSelector('#meters-table tr[data-serial="ХВ-777001"]');
  // The take-out day lies in the open period: today.
  await page.fill("#meter-removed-on", new Date().toISOString().slice(0, 10));
  await page.fill("#meter-final-reading", "12.3");
  await page.click('#meters-table tr[data-serial="ХВ-777001"] .meter-action');
  await page.waitForFunction(() => !document.querySelector('#meters-table tr[data-serial="ХВ-777001"]'));
  await page.click("#meters-archive");
  await page.waitForSelector('#meters-table tr[data-serial="ХВ-777001"]');
  await page.close();
});

test("the period is calculated with live progress, the summary reconciles, and the account card shows its invoice", async () => {
  const { page, errors } = await openApp();
  await page.click("#menu-billing");
  await page.waitForSelector("#periods tbody tr");
  const month = new Date().toISOString().slice(0, 7);
  assert.match(await page.textContent(`#period-${month}`), /відкритий/);
  // A building is chosen by its address, never by a typed id; until then nothing starts.
  await page.selectOption("#calc-scope", "BUILDING");
  assert.ok(await page.isDisabled("#calc-start"));
  await pickBuilding(page, "#calc-scope-building", "Хрещатик");
  await page.waitForFunction(() => !document.querySelector("#calc-start").disabled);
  await page.selectOption("#calc-scope", "TENANT");
  await page.click("#calc-start");
  await page.waitForSelector("#calc-done", { timeout: 60000 });
  assert.match(await page.textContent("#calc-done"), /Особових рахунків: \d+ · Рахунків: \d+ · Помилок: \d+/);
  await page.waitForSelector("#summary-reconciles.ok");
  assert.match(await page.textContent("#closing-summary"), /Разом/);
  // Settings live apart from the month's operations, a tab per topic with its own URL.
  // The tenant admin sets what invoices print; the QR code's missing requisites are named.
  await page.click("#menu-settings");
  await page.waitForURL(`${BASE}/settings`);
  await page.waitForSelector("#invoice-settings");
  // A tab loads its values when it opens: typing waits for them.
  await page.waitForLoadState("networkidle");
  await page.fill("#inv-legal-name", "КП «Водоканал Демо»");
  await page.fill("#inv-account", "UA213223130000026007233566001");
  await page.fill("#inv-tax-code", "");
  await page.selectOption("#inv-qr", "nbu");
  await page.click("#inv-settings-save");
  await page.waitForSelector("#inv-settings-saved");
  await page.waitForSelector("#inv-qr-missing");
  assert.equal(await page.getAttribute("#inv-qr-missing", "data-missing"), "taxCode");
  assert.match(await page.textContent("#inv-qr-missing"), /без QR-коду/);
  assert.equal(await page.getAttribute("#inv-tax-code", "aria-invalid"), "true");
  await page.fill("#inv-tax-code", "12345678");
  await page.click("#inv-settings-save");
  await page.waitForSelector("#inv-qr-missing", { state: "detached" });
  await page.setInputFiles("#inv-logo", {
    name: "logo.png", mimeType: "image/png",
    buffer: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"),
  });
  await page.waitForSelector("#inv-settings-saved");
  // The organisation's mail server, and a test e-mail through it (the local SMTP sink).
  await page.click("#settings-tab-mail");
  await page.waitForURL(`${BASE}/settings/mail`);
  await page.waitForLoadState("networkidle");
  await page.fill("#mail-host", "127.0.0.1");
  await page.fill("#mail-port", "2525");
  await page.selectOption("#mail-tls", "none");
  await page.fill("#mail-sender-address", "noreply@demo.example");
  await page.click("#mail-save");
  await page.waitForSelector("#mail-message");
  await page.fill("#mail-test-to", "admin@demo.example");
  await page.click("#mail-test");
  await page.waitForFunction(() => /Тестовий лист надіслано/.test(document.querySelector("#mail-message")?.textContent ?? ""));
  // Reminders: the days of the month (a wrong one refused by its field) and "send now". The
  // day chosen is not today, so the worker's schedule does not start the same run.
  await page.click("#settings-tab-reminders");
  await page.waitForSelector("#rem-readings-day");
  await page.waitForLoadState("networkidle");
  await page.fill("#rem-readings-day", "40");
  await page.click("#rem-save");
  const dayError = '#reminders .field-error[data-field="readingsReminderDay"]';
  await page.waitForSelector(dayError);
  assert.match(await page.textContent(dayError), /від 1 до 31/);
  assert.equal(await page.getAttribute("#rem-readings-day", "aria-invalid"), "true");
  const remDay = String(((new Date().getDate() + 10) % 28) + 1);
  await page.fill("#rem-readings-day", remDay);
  await page.fill("#rem-payment-day", remDay);
  await page.click("#rem-save");
  await page.waitForSelector("#rem-message");
  await page.click("#rem-send-payment");
  await page.waitForFunction(() => /Листів у черзі: \d+/.test(document.querySelector("#rem-message")?.textContent ?? ""), null, { timeout: 60000 });
  await page.waitForSelector("#reminder-runs tr.run-payment");
  // The calculation settings: a due day out of range is refused under its field.
  await page.click("#settings-tab-calculation");
  await page.waitForSelector("#set-due-day");
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => document.querySelector("#set-due-day")?.value !== "");
  const dueDay = await page.inputValue("#set-due-day");
  await page.fill("#set-due-day", "40");
  await page.click("#calculation-settings-save");
  await page.waitForSelector('#calculation-settings .field-error[data-field="dueDay"]');
  assert.equal(await page.getAttribute("#set-due-day", "aria-invalid"), "true");
  await page.fill("#set-due-day", dueDay);
  await page.click("#calculation-settings-save");
  await page.waitForSelector("#calculation-settings-saved");
  // Charging the penalty under a restructuring agreement: off by default, kept when saved.
  const saveSettings = async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes("UpdateBillingSettings"));
    await page.click("#calculation-settings-save");
    assert.equal((await (await saved).json()).errors, undefined);
  };
  const reloadSettings = async () => {
    await page.reload();
    await page.waitForSelector("#set-due-day");
    await page.waitForFunction(() => document.querySelector("#set-due-day")?.value !== "");
  };
  assert.equal(await page.isChecked("#set-penalty-under-agreement"), false);
  await page.check("#set-penalty-under-agreement");
  await saveSettings();
  await reloadSettings();
  assert.equal(await page.isChecked("#set-penalty-under-agreement"), true);
  assert.equal(await page.inputValue("#set-due-day"), dueDay);
  await page.uncheck("#set-penalty-under-agreement");
  await saveSettings();
  await reloadSettings();
  assert.equal(await page.isChecked("#set-penalty-under-agreement"), false);
  // The month's operations: the period's invoices mailed, rendered as PDF, exported.
  await page.click("#menu-billing");
  await page.waitForSelector("#mail-invoices");
  await page.click("#mail-invoices");
  await page.waitForSelector("#mail-invoices-status", { timeout: 60000 });
  assert.match(await page.textContent("#mail-invoices-status"), /Листів у черзі: \d+/);
  await page.click("#render-invoices");
  await page.waitForSelector("#render-invoices-done", { timeout: 60000 });
  assert.match(await page.textContent("#render-invoices-done"), /Сформовано PDF: [1-9]/);
  assert.deepEqual(await fetchHead(page, "#render-invoices-download", 2), { type: "application/zip", head: "PK" });
  await page.click("#export-invoices-xml");
  await page.waitForSelector("#export-invoices-xml-download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, "#export-invoices-xml-download"), { type: "application/xml", head: "<?xml" });
  await page.screenshot({ path: SHOTS + "billing.png", fullPage: true });

  // The apartment's account (opened above) has this month's invoice in its billing table.
  await page.click("#menu-subscribers");
  await page.fill("#account-search", "Мирошниченко");
  await page.press("#account-search", "Enter");
  await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length >= 1);
  await page.click("#accounts-table tbody tr td:nth-child(2)");
  await page.waitForSelector(`#billing-table #invoice-${month}`);
  await page.click(`#invoice-${month} button`);
  // No service is in force on the new account: its invoice has no lines, and says so.
  await page.waitForSelector('.table-state.empty[data-table="invoice-lines"]');
  assert.match(await page.textContent('.table-state.empty[data-table="invoice-lines"]'), /не має рядків/);
  await page.click("#form-invoice");
  await page.waitForSelector(`#billing-table #invoice-${month}`);
  await page.click("#invoice-pdf");
  await page.waitForSelector("#invoice-pdf-download", { timeout: 60000 });
  assert.deepEqual(await fetchHead(page, "#invoice-pdf-download"), { type: "application/pdf", head: "%PDF-" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a viewer sees no control that changes data, and changes their own password", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.viewer`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  const none = async (selectors) => {
    for (const s of selectors) assert.equal(await page.locator(s).count(), 0, `${s} is drawn for a viewer`);
  };
  await none(["#new-account-button", ".pick-account", "#pick-page"]);
  await page.click('#accounts-table tr[data-number="100001"]');
  await page.waitForSelector("#card-title");
  await none(["#add-resident", "#account-card button.delete", "#account-card .moved-out", "#add-account-service",
    "#add-beneficiary", "#money-form", "#add-restructuring", ".cancel-restructuring", "#form-invoice"]);
  for (const [path, ready, controls] of [
    ["/meters", "#meters-table", ["#new-meter", ".verify-meter", ".meter-action", "#readings-import", "#clear-readings"]],
    ["/billing", "#periods", ["#calc-start", "#close-start", "button.reopen"]],
    ["/acts", "#acts-table", ["#act-new", "#acts-approve", "#acts-unapprove", "#act-approve"]],
    ["/reference-books", ".book-screen, .books", ["#book-form", ".book-screen button.delete", ".book-screen button.edit"]],
  ]) {
    await page.goto(`${BASE}${path}`);
    await page.waitForSelector(ready, { timeout: 30000 });
    await page.waitForLoadState("networkidle");
    await none(controls);
  }

  // The own page: the name in the top bar leads to it.
  await page.click("#current-user");
  await page.waitForURL(`${BASE}/me`);
  await page.fill("#password-current", PASSWORD);
  await page.fill("#password-new", "Пароль-переглядача-2026");
  await page.fill("#password-repeat", "Пароль-переглядача-2027");
  await page.click("#password-save");
  await page.waitForSelector("#password-message.error");
  assert.match(await page.textContent("#password-message"), /різняться/);
  await page.fill("#password-repeat", "Пароль-переглядача-2026");
  await page.click("#password-save");
  await page.waitForSelector("#password-message.ok");
  // Every session ends: the sign-in form comes back, and the new password opens.
  await page.waitForSelector("#login-name", { timeout: 30000 });
  await signIn(page, `${TENANT}.viewer`, "Пароль-переглядача-2026");
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  // Back to the demo's password for the other tests.
  await page.goto(`${BASE}/me`);
  await page.waitForSelector("#password-form", { timeout: 30000 });
  await page.fill("#password-current", "Пароль-переглядача-2026");
  await page.fill("#password-new", PASSWORD);
  await page.fill("#password-repeat", PASSWORD);
  await page.click("#password-save");
  await page.waitForSelector("#login-name", { timeout: 30000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test("an empty form is refused field by field in the user's language, never with a parser's text", async () => {
  const { page, errors } = await openApp();
  const emptyFields = async (form) => page.locator(`${form} .field-error`).evaluateAll((els) =>
    els.map((e) => [e.dataset.field, e.textContent]).sort());
  // A new meter sent empty: each required field says so under itself, marked for a screen reader.
  await page.click("#menu-meters");
  await page.waitForSelector("#new-meter");
  await page.click("#meter-submit");
  await page.waitForSelector('#new-meter .field-error[data-field="serial"]');
  assert.deepEqual(await emptyFields("#new-meter"), [
    ["buildingId", "Заповніть це поле"], ["initialReading", "Заповніть це поле"],
    ["installedOn", "Заповніть це поле"], ["serial", "Заповніть це поле"],
  ]);
  assert.equal(await page.getAttribute("#meter-installed", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#meter-installed", "aria-required"), "true");
  // Typing a serial and saving again leaves the others marked, that one not.
  await page.fill("#meter-serial", "ХВ-1");
  await page.click("#meter-submit");
  await page.waitForFunction(() => !document.querySelector('#new-meter .field-error[data-field="serial"]'));
  assert.equal(await page.locator("#new-meter .field-error").count(), 3);
  // A reference book record and a norm sent empty.
  await page.click("#menu-reference-books");
  await page.click("#book-banks");
  await page.waitForSelector("#book-form");
  await page.click("#book-save");
  await page.waitForSelector('#book-form .field-error[data-field="name"]');
  assert.deepEqual(await emptyFields("#book-form"), [["code", "Заповніть це поле"], ["name", "Заповніть це поле"]]);
  // In English, the same words in English.
  await page.selectOption("#lang-select", "en");
  await page.click("#menu-meters");
  await page.waitForSelector("#new-meter");
  await page.click("#meter-submit");
  await page.waitForSelector('#new-meter .field-error[data-field="installedOn"]');
  assert.equal(await page.textContent('#new-meter .field-error[data-field="installedOn"]'), "Fill in this field");
  const text = await page.textContent("body");
  assert.doesNotMatch(text, /Failed to parse|NaiveDate|premature end/);
  assert.deepEqual(errors, []);
  await page.evaluate(() => localStorage.clear());
  await page.close();
});
