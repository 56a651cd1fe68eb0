// Payments in the browser: a payment entered with its invoice looked up and refused with the
// field named; a batch created, filled, posted and shown by its colour; a bank registry
// uploaded, its refused row matched by hand; the search with totals.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, SHOTS, TENANT, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openPayments(menu) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  await page.click(`#menu-${menu}`);
  return { page, errors };
}

test("a payment is entered, a wrong one refused by field, and found with its totals", async () => {
  const { page, errors } = await openPayments("payments");
  await page.waitForSelector("#payment-form");
  await page.fill("#payment-account", "100001");
  await page.press("#payment-account", "Tab");
  await page.waitForSelector("#payment-due.hint");
  assert.match(await page.textContent("#payment-due"), /До сплати за рахунком/);
  // The defaults follow the account's invoice: its period; split by hand, a field per
  // service of that invoice.
  assert.match(await page.inputValue("#payment-charge"), /^\d{4}-\d\d$/);
  await page.selectOption("#payment-split", "MANUAL");
  assert.ok(await page.locator("#payment-parts .payment-part").count() >= 1);
  await page.selectOption("#payment-split", "DEFAULT");
  await page.selectOption("#payment-kind", "CASH_DESK");
  await page.fill("#payment-amount", "-5");
  await page.click("#payment-save");
  // Refused under the amount itself, in the user's language.
  const amountError = '#payment-form .field-error[data-field="amount"]';
  await page.waitForSelector(amountError);
  assert.match(await page.textContent(amountError), /^сума: має бути більше нуля/);
  assert.equal(await page.getAttribute("#payment-amount", "aria-invalid"), "true");
  // An emptied amount and date are refused before anything is sent, each under its field.
  await page.fill("#payment-amount", "");
  await page.fill("#payment-paid-on", "");
  await page.click("#payment-save");
  await page.waitForSelector('#payment-form .field-error[data-field="paidOn"]');
  assert.equal(await page.textContent(amountError), "Заповніть це поле");
  assert.equal(await page.locator("#payment-error").count(), 0, "no message of no field");
  await page.fill("#payment-paid-on", await page.inputValue("#payment-received-on"));
  // The demo's account already has payments: the totals grow by this one.
  await page.fill("#payments-subscriber", "100001");
  await page.click("#payments-search");
  // The search's answer, not the unfiltered list shown before it.
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#payments-table tbody tr")];
    return rows.length > 0 && rows.every((r) => r.textContent.includes("100001"));
  });
  const totals = async () => {
    // The text is as Ukrainian writes it (`182 962,26 ₴`); the figures are in data-*.
    assert.match(await page.textContent("#payments-totals"), /Знайдено оплат: \d+ на суму [\d\u00a0\u202f ]+,\d\d[\u00a0\u202f ]₴/);
    const count = Number(await page.getAttribute("#payments-totals", "data-count"));
    const amount = Number(await page.getAttribute("#payments-totals", "data-amount"));
    return [count, Math.round(amount * 100)];
  };
  const [count, sum] = await totals();
  await page.fill("#payment-amount", "120,50");
  await page.click("#payment-save");
  await page.waitForSelector("#payment-created");
  await page.click("#payments-search");
  await page.waitForFunction((n) => new RegExp(`Знайдено оплат: ${n} `).test(document.querySelector("#payments-totals")?.textContent ?? ""), count + 1);
  assert.deepEqual(await totals(), [count + 1, sum + 12050]);
  assert.match(await page.textContent("#payments-table tbody"), /100001.*120,50[\u00a0\u202f ]₴/);
  await page.screenshot({ path: SHOTS + "payments.png", fullPage: true });
  // The tenant admin sets the split by priority and moves a service up (Settings → Payments).
  await page.goto(`${BASE}/settings/payments`);
  await page.waitForSelector("#payment-split-rule");
  await page.waitForLoadState("networkidle");
  await page.selectOption("#payment-split-rule", "priority");
  const second = (await page.textContent("#payment-priority li:nth-child(2)")).split(/Вище|Нижче/)[0].trim();
  await page.click("#payment-priority li:nth-child(2) .priority-up");
  assert.ok((await page.textContent("#payment-priority li:nth-child(1)")).startsWith(second));
  await page.click("#payment-settings-save");
  await page.waitForSelector("#payment-settings-saved");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a batch is posted only when its rows match the control figures", async () => {
  const { page, errors } = await openPayments("payments");
  await page.click("#payments-tab-batches");
  await page.waitForSelector("#batch-form");
  const number = `П-${Date.now() % 100000}`;
  await page.fill("#batch-number", number);
  await page.fill("#batch-count", "1");
  await page.fill("#batch-sum", "50");
  await page.click("#batch-create");
  await page.waitForSelector("#batch-card");
  await page.click("#batch-add-row");
  await page.fill("#batch-rows .batch-account", "100002");
  await page.fill("#batch-rows .batch-amount", "40");
  await page.click("#batch-save-rows");
  await page.waitForSelector("#batch-message");
  await page.click("#batch-post");
  await page.waitForSelector("#batch-error");
  assert.match(await page.textContent("#batch-error"), /контрольна сума/);
  await page.fill("#batch-rows .batch-amount", "50");
  await page.click("#batch-save-rows");
  await page.waitForFunction(() => /1 \/ 50/.test(document.querySelector("#batch-message")?.textContent ?? ""));
  await page.click("#batch-post");
  await page.waitForSelector(`#batches-table tr.state-posted:has-text("${number}")`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a bank registry is uploaded, posted by the worker, and its refused row matched by hand", async () => {
  const { page, errors } = await openPayments("payment-import");
  await page.waitForSelector("#payment-upload");
  const now = new Date();
  const day = `${String(now.getDate()).padStart(2, "0")}-${String(now.getMonth() + 1).padStart(2, "0")}-${now.getFullYear()}`;
  const run = Date.now();
  const text = `#FILESUM 75,00\n#RUN ${run}\n${day};10:00;A${run};1;100003;Payer One;Kyiv;;70,00\n${day};10:01;B${run};1;999999;Nobody;Kyiv;;5,00\n`;
  await page.selectOption("#payment-template", { label: "Registry ;-separated, #FILESUM (cp1251)" });
  await page.setInputFiles("#payment-file", { name: `reestr-${run}.txt`, mimeType: "text/plain", buffer: Buffer.from(text, "latin1") });
  await page.click("#payment-upload-start");
  await page.waitForSelector("#payment-upload-result", { timeout: 60000 });
  assert.match(await page.textContent("#payment-upload-result"), /Усього записів: 2 · Сплачено записів: 1 · Завантажено: 70,00[\u00a0\u202f ]₴ · Помилки: 1/);
  assert.match(await page.textContent("#payment-upload-protocol tbody tr"), /999999.*особовий рахунок: не знайдено/);
  await page.waitForSelector("#payment-files-table tr.payment-file");
  await page.click("#payment-files-table tr.payment-file");
  await page.waitForSelector("#payment-file-rows tr.outcome-refused");
  await page.fill("#payment-file-rows tr.outcome-refused .match-account", "100004");
  await page.press("#payment-file-rows tr.outcome-refused .match-account", "Tab");
  await page.waitForSelector("#payment-file-rows tr.outcome-matched");
  assert.equal(await page.locator("#payment-file-rows tr.outcome-refused").count(), 0);
  await page.screenshot({ path: SHOTS + "payment-import.png", fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a 1C bank statement: a template for our settlement account, exactly the incoming payments paid", async () => {
  const { page, errors } = await openPayments("payment-import");
  await page.waitForSelector("#template-new");
  const run = Date.now();
  const own = `40702810${String(run).slice(-12)}`;
  await page.click("#template-new");
  await page.fill("#template-name", `1C ${run}`);
  await page.selectOption("#template-format", "1c");
  // A statement names its own fields: only our account is asked.
  await page.waitForSelector("#template-own-account");
  assert.equal(await page.locator("#template-field-account").count(), 0);
  await page.fill("#template-own-account", own);
  await page.click("#template-save");
  await page.waitForSelector(`#payment-template option:has-text("1C ${run}")`, { state: "attached" });
  const now = new Date();
  const day = `${String(now.getDate()).padStart(2, "0")}.${String(now.getMonth() + 1).padStart(2, "0")}.${now.getFullYear()}`;
  const doc = (n, sum, payer, to, purpose) =>
    `СекцияДокумент=Платежное поручение\nНомер=${n}\nДата=${day}\nСумма=${sum}\nПлательщикСчет=${payer}\n` +
    `Плательщик1=Платник ${n}\nПолучательСчет=${to}\nНазначениеПлатежа=${purpose}\nКонецДокумента\n`;
  const text = "1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\n" +
    `СекцияРасчСчет\nРасчСчет=${own}\nНачальныйОстаток=0.00\nВсегоПоступило=60.00\nВсегоСписано=15.00\nКонечныйОстаток=45.00\nКонецРасчСчет\n` +
    doc(`${run % 1000}1`, "60.00", "40817810000000000001", own, "Оплата, ЛС: 100004") +
    doc(`${run % 1000}2`, "15.00", own, "40702810000000099999", "Оренда") +
    "КонецФайла\n";
  await page.selectOption("#payment-template", { label: `1C ${run}` });
  await page.setInputFiles("#payment-file", { name: `kl_to_1c-${run}.txt`, mimeType: "text/plain", buffer: Buffer.from(text, "utf8") });
  await page.click("#payment-upload-start");
  await page.waitForSelector("#payment-upload-result", { timeout: 60000 });
  const result = await page.textContent("#payment-upload-result");
  assert.match(result, /Сплачено записів: 1 · Завантажено: 60,00[\u00a0\u202f ]₴/);
  assert.match(result, /Пропущено: 1/);
  assert.match(await page.textContent("#payment-upload-protocol"), /вихідний/);
  await page.screenshot({ path: SHOTS + "payment-import-1c.png", fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
