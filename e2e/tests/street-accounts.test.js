// Opening accounts for every apartment of a new building in one go (issue 22, seed 001
// §4.3 Ctrl+Ins), then choosing a draft's holder on its card. This file runs after the
// ones that count the demo's 41 accounts: it adds accounts for good. Then the accounts
// ticked in the list get their invoices calculated, printed and mailed; the enterprise card
// is edited; a resident is registered again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { gql, launch, pickBuilding, signIn, TENANT, SHOTS } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


test("a new building's apartments get draft accounts in one go and a holder each", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  // A new house of three flats (the add-address screen has its own test).
  await gql(page,
    "mutation { addAddress(input: { locality: \"Ясногородка\", street: \"Новобудов\", building: \"1\", apartmentsFrom: 1, apartmentsTo: 3 }) { buildingId } }");
  await page.click("#menu-administration");
  await page.click("#tab-buildings");
  await page.fill("#buildings-search", "Новобудов");
  await page.press("#buildings-search", "Enter");
  await page.waitForSelector("#buildings-table tbody tr");
  await page.click("#buildings-table tbody tr:first-child");
  await page.waitForSelector("#group-open #go-submit");
  await page.click("#go-submit");
  await page.waitForSelector("#go-summary");
  assert.match(await page.textContent("#go-summary"), /Відкрито: 3 · Пропущено: 0/);
  const rows = await page.locator("#go-protocol tbody tr").count();
  assert.equal(rows, 3);
  await page.screenshot({ path: SHOTS + "group-open.png", fullPage: true });
  // A second run leaves all three, saying why.
  await page.click("#go-submit");
  await page.waitForFunction(() => /Відкрито: 0 · Пропущено: 3/.test(document.querySelector("#go-summary")?.textContent ?? ""));
  assert.match(await page.textContent("#go-protocol tbody tr:first-child"), /вже має особовий рахунок/);
  // The first flat's draft: its holder is chosen on the card.
  const { accounts } = await gql(page, "{ accounts(search: \"Новобудов\") { items { id number } } }");
  assert.equal(accounts.items.length, 3);
  const first = accounts.items[0];
  await page.click("#menu-subscribers");
  await page.fill("#account-search", first.number);
  await page.press("#account-search", "Enter");
  await page.waitForSelector(`#accounts-table tr[data-number="${first.number}"]`);
  await page.click(`#accounts-table tr[data-number="${first.number}"]`);
  await page.waitForSelector("#new-account #na-last");
  assert.equal(await page.locator("#new-account #na-premises-search, #new-account #na-opened").count(), 0);
  await page.click("#na-submit");
  await page.waitForSelector('#new-account .field-error[data-field="lastName"]');
  await page.fill("#na-last", "Кравець");
  await page.fill("#na-first", "Олег");
  await page.click("#na-submit");
  await page.waitForFunction(() => /Кравець Олег/.test(document.querySelector("#card-title")?.textContent ?? ""));
  await page.waitForSelector("#new-account", { state: "detached" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the accounts ticked in the list are calculated, printed and mailed alone", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.waitForSelector("#accounts-table tbody tr .pick-account", { timeout: 30000 });
  // Two accounts ticked: the selection's invoices card names how many.
  const picks = page.locator("#accounts-table tbody tr .pick-account");
  await picks.nth(0).click();
  await picks.nth(1).click();
  await page.waitForSelector("#selection-invoices");
  assert.match(await page.textContent("#selection-invoices strong"), /: 2$/);
  // Calculated: exactly the two accounts, with the run's figures.
  await page.click("#selection-calc");
  await page.waitForSelector("#selection-calc-done", { timeout: 60000 });
  assert.match(await page.textContent("#selection-calc-done .job-figures"), /^Особових рахунків: 2 · /);
  // Printed: one zip of their PDFs, downloaded as it is offered.
  await page.click("#selection-pdf");
  await page.waitForSelector("#selection-pdf-done #selection-pdf-download", { timeout: 60000 });
  assert.match(await page.textContent("#selection-pdf-done"), /: 2/);
  const href = await page.getAttribute("#selection-pdf-download", "href");
  const zip = await page.evaluate(async (h) => {
    const r = await fetch(h);
    const bytes = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, magic: String.fromCharCode(bytes[0], bytes[1]) };
  }, href);
  assert.deepEqual(zip, { status: 200, magic: "PK" });
  // Mailed: the mailing job says how many messages it queued (those with an e-mail).
  await page.click("#selection-mail");
  await page.waitForSelector("#selection-mail-status", { timeout: 60000 });
  assert.match(await page.textContent("#selection-mail-status"), /: \d+$/);
  await page.screenshot({ path: SHOTS + "selection-invoices.png", fullPage: true });

  // On the Billing screen the print run follows the scope chooser: a building is picked
  // by name before the button is on.
  await page.click("#menu-billing");
  await page.waitForSelector("#calc-scope");
  await page.selectOption("#calc-scope", "BUILDING");
  assert.equal(await page.isDisabled("#render-invoices"), true);
  assert.equal(await page.isDisabled("#mail-invoices"), true);
  await pickBuilding(page, "#calc-scope-building", "Хрещатик");
  await page.waitForFunction(() => !document.querySelector("#render-invoices")?.disabled);
  assert.match(await page.textContent("#render-invoices"), /вибраними/);
  await page.click("#render-invoices");
  await page.waitForSelector("#render-invoices-done", { timeout: 60000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the enterprise card is edited with an account from the banks book, refused by the field first", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.waitForSelector("#menu-settings");
  await page.click("#menu-settings");
  await page.click("#settings-tab-enterprise");
  await page.waitForFunction(() => document.querySelector("#ent-director")?.value === "Литвиненко Олег Миколайович");
  // The name is the requisites' own (an earlier file may have edited them).
  assert.equal(await page.inputValue("#ent-legal-name"), (await gql(page, "{ invoiceSettings { legalName } }")).invoiceSettings.legalName);
  assert.equal(await page.locator("#ent-accounts tbody tr").count(), 2);
  // A third account: the Ukrposhta from the banks book, its IBAN mistyped first.
  await page.click("#ent-add-account");
  const row = page.locator('#ent-accounts tr[data-row="2"]');
  const bank = await row.locator(".ent-bank option", { hasText: "Укрпошта" }).getAttribute("value");
  await row.locator(".ent-bank").selectOption(bank);
  await row.locator(".ent-iban").fill("UA14 3000 0100 0002 6001 2345 6789 1");
  await page.click("#ent-save");
  await page.waitForSelector('#enterprise-card .field-error[data-field="bankAccount"]');
  assert.match(await page.textContent('#enterprise-card .field-error[data-field="bankAccount"]'), /IBAN/);
  await row.locator(".ent-iban").fill("UA14 3000 0100 0002 6001 2345 6789 0");
  await page.fill("#ent-accountant-tax", "12");
  await page.click("#ent-save");
  await page.waitForSelector('#enterprise-card .field-error[data-field="accountantTaxId"]');
  await page.fill("#ent-accountant-tax", "");
  await page.click("#ent-save");
  await page.waitForSelector("#ent-saved");
  await page.screenshot({ path: SHOTS + "enterprise-card.png", fullPage: true });
  const { enterprise } = await gql(page, "{ enterprise { bankAccounts { account main } } }");
  assert.deepEqual(enterprise.bankAccounts.map((a) => [a.account, a.main]), [
    ["UA073004650000026034300654321", true],
    ["UA213223130000026007233566001", false],
    ["UA143000010000026001234567890", false],
  ]);
  // The third one made the main: the invoices' requisites follow it; then put back.
  await page.reload();
  await page.waitForSelector('#ent-accounts tr[data-row="2"] .ent-main');
  await page.check('#ent-accounts tr[data-row="2"] .ent-main');
  await page.click("#ent-save");
  await page.waitForSelector("#ent-saved");
  const { invoiceSettings } = await gql(page, "{ invoiceSettings { bankName account } }");
  assert.deepEqual(invoiceSettings, { bankName: "АТ «Укрпошта»", account: "UA143000010000026001234567890" });
  await page.reload();
  await page.waitForSelector('#ent-accounts tr[data-row="2"] .ent-remove');
  // Reloaded, the main one comes first: the Ukrposhta row is the first now.
  await page.check('#ent-accounts tr[data-row="1"] .ent-main');
  await page.click('#ent-accounts tr[data-row="0"] .ent-remove');
  await page.click("#ent-save");
  await page.waitForSelector("#ent-saved");
  const back = await gql(page, "{ invoiceSettings { bankName account } }");
  assert.deepEqual(back.invoiceSettings, { bankName: "АТ «Ощадбанк»", account: "UA073004650000026034300654321" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a resident who left and came back is registered again, the earlier period kept", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.fill("#account-search", "100033");
  await page.press("#account-search", "Enter");
  await page.waitForSelector('#accounts-table tr[data-number="100033"]');
  await page.click('#accounts-table tr[data-number="100033"]');
  await page.waitForSelector("#add-resident #resident-name");
  const who = "Повернений Іван";
  await page.fill("#resident-name", who);
  await page.fill("#resident-from", "2020-01-01");
  await page.click("#resident-submit");
  await page.waitForSelector(`#residents-table tr[data-resident="${who}"] .moved-out`);
  await page.fill("#resident-moved-out", "2022-05-31");
  await page.click(`#residents-table tr[data-resident="${who}"] .moved-out`);
  // Left: the row offers registering again instead; a day before the end is refused.
  await page.waitForSelector(`#residents-table tr[data-resident="${who}"] .reregister`);
  await page.fill("#resident-again-on", "2022-05-01");
  await page.click(`#residents-table tr[data-resident="${who}"] .reregister`);
  await page.waitForSelector("#resident-message");
  assert.match(await page.textContent("#resident-message"), /пізніше завершення/);
  await page.fill("#resident-again-on", "2024-09-01");
  await page.click(`#residents-table tr[data-resident="${who}"] .reregister`);
  await page.waitForSelector(`#residents-table tr[data-resident="${who}"] .earlier-periods`);
  assert.match(await page.textContent(`#residents-table tr[data-resident="${who}"] .earlier-periods`), /2020-01-01 — 2022-05-31/);
  assert.match(await page.textContent(`#residents-table tr[data-resident="${who}"]`), /2024-09-01 — …/);
  await page.screenshot({ path: SHOTS + "resident-reregistered.png", fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
