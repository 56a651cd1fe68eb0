// Editing what was created (issue 22): the subscriber from the account card, the
// account's status (one from its card, many from the list), the meter card (F4), the
// premises card — each refusing bad input under its field, in the user's language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { gql, launch, signIn, TENANT, SHOTS } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openApp() {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  return { page, errors };
}


async function openCard(page, number) {
  await page.fill("#account-search", number);
  await page.press("#account-search", "Enter");
  await page.waitForSelector(`#accounts-table tr[data-number="${number}"]`);
  await page.click(`#accounts-table tr[data-number="${number}"]`);
  await page.waitForSelector("#card-title");
}

// These tests share the demo tenant with the files that follow: they edit demo accounts no
// other test names (100030–100033) and put every field back as they found it.
const CARD = "query($id: Int!) { account(id: $id) { status closedOn noPenalty comment subscriber { id lastName firstName middleName taxId phone email birthDate } } }";

async function accountId(page, number) {
  const { accounts } = await gql(page, "query($s: String!) { accounts(search: $s) { items { id number } } }", { s: number });
  return accounts.items.find((a) => a.number === number).id;
}

test("a subscriber is corrected from the account card and the list follows", async () => {
  const { page, errors } = await openApp();
  const number = "100030";
  const id = await accountId(page, number);
  const { account } = await gql(page, CARD, { id });
  const was = account.subscriber;
  try {
    await openCard(page, number);
    await page.click("#subscriber-edit-fold summary");
    // A wrong e-mail is refused under the field, in Ukrainian; nothing is saved.
    await page.fill("#se-email", "iryna.example.com");
    await page.click("#se-save");
    await page.waitForSelector('#subscriber-edit .field-error[data-field="email"]');
    assert.match(await page.textContent('#subscriber-edit .field-error[data-field="email"]'), /адрес/);
    assert.equal(await page.getAttribute("#se-email", "aria-invalid"), "true");
    await page.fill("#se-last", "Ковальчук");
    await page.fill("#se-email", "kovalchuk@example.com");
    await page.fill("#se-court", "справа 2-15/26");
    await page.check("#se-employee");
    await page.click("#se-save");
    await page.waitForSelector("#se-saved");
    await page.waitForFunction(() => /Ковальчук/.test(document.querySelector("#card-title")?.textContent ?? ""));
    assert.equal((await page.textContent("#card-email")).trim(), "kovalchuk@example.com");
    await page.screenshot({ path: SHOTS + "subscriber-edit.png", fullPage: true });
    // The account list shows and finds the corrected name.
    await page.click("#account-card .close");
    await page.fill("#account-search", "Ковальчук");
    await page.press("#account-search", "Enter");
    await page.waitForSelector(`#accounts-table tr[data-number="${number}"]`);
  } finally {
    const { id: sid, ...fields } = was;
    await gql(page, "mutation($id: Int!, $i: SubscriberEditInput!) { updateSubscriber(id: $id, input: $i) { id } }",
      { id: sid, i: fields });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("an account is closed from its card and a selection from the list", async () => {
  const { page, errors } = await openApp();
  // The first owes (its balance is kept when it closes); the others owe nothing or owe too.
  const numbers = ["100032", "100031", "100033"];
  const ids = [];
  const was = [];
  for (const n of numbers) {
    const id = await accountId(page, n);
    ids.push(id);
    was.push((await gql(page, CARD, { id })).account);
  }
  const today = new Date().toISOString().slice(0, 10);
  try {
    await openCard(page, numbers[0]);
    await page.click("#account-edit-fold summary");
    await page.check("#ae-no-penalty");
    await page.fill("#ae-comment", "пеню не нараховувати: рішення правління");
    await page.click("#ae-save");
    await page.waitForSelector("#ae-saved");
    await page.waitForFunction(() => document.querySelector("#card-no-penalty")?.textContent.trim() === "✓");
    // Closing asks for the day: left empty, it is refused under the field.
    await page.selectOption("#status-select", "closed");
    await page.fill("#status-closed-on", "");
    await page.click("#status-apply");
    await page.waitForSelector('#status-form .field-error[data-field="closedOn"]');
    // The demo account owes: it closes only keeping its balance.
    await page.fill("#status-closed-on", today);
    await page.click("#status-apply");
    await page.waitForSelector("#status-result");
    assert.match(await page.textContent("#status-result"), /сальдо/);
    assert.notEqual((await page.textContent("#card-status")).trim(), "Закритий");
    await page.check("#status-keep-balance");
    await page.click("#status-apply");
    await page.waitForFunction(() => document.querySelector("#card-status")?.textContent.trim() === "Закритий");
    assert.equal((await page.textContent("#card-closed")).trim(), today);
    await page.screenshot({ path: SHOTS + "account-closed.png", fullPage: true });
    // The three ticked in the list, closed in one go: the one already closed is skipped.
    await page.click("#account-card .close");
    await page.fill("#account-search", "10003");
    await page.press("#account-search", "Enter");
    await page.waitForSelector(`#accounts-table tr[data-number="${numbers[2]}"]`);
    for (const n of numbers) {
      await page.check(`#accounts-table tr[data-number="${n}"] .pick-account`);
    }
    await page.selectOption("#group-status-select", "closed");
    await page.fill("#group-status-closed-on", today);
    await page.check("#group-status-keep-balance");
    await page.click("#group-status-apply");
    await page.waitForSelector("#group-status-result");
    const result = await page.textContent("#group-status-result");
    assert.match(result, /: 2;/, result);
    assert.match(result, new RegExp(`${numbers[0]} — вже має цей статус`), result);
  } finally {
    for (const [i, id] of ids.entries()) {
      const a = was[i];
      await gql(page, "mutation($ids: [Int!]!, $i: AccountStatusInput!) { setAccountsStatus(accountIds: $ids, input: $i) { changed } }",
        { ids: [id], i: { status: a.status.toUpperCase() } });
      await gql(page, "mutation($id: Int!, $i: AccountEditInput!) { updateAccount(id: $id, input: $i) { account { id } } }",
        { id, i: { noPenalty: a.noPenalty, comment: a.comment } });
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("the meter card edits the passport and names a wrong field", async () => {
  const { page, errors } = await openApp();
  await page.click("#menu-meters");
  await page.waitForSelector("#meters-table tbody tr .meter-card");
  const serial = await page.getAttribute("#meters-table tbody tr:first-child", "data-serial");
  await page.click("#meters-table tbody tr:first-child .meter-card");
  await page.waitForSelector("#meter-card");
  assert.equal(await page.inputValue("#mc-serial"), serial);
  await page.fill("#mc-manufacturer", "Apator Powogaz");
  await page.fill("#mc-installer", "слюсар Бондар");
  await page.check("#mc-remote");
  await page.selectOption("#mc-owner", "subscriber");
  await page.fill("#mc-riser", "0");
  await page.click("#mc-save");
  await page.waitForSelector('#meter-card .field-error[data-field="riser"]');
  assert.match(await page.textContent('#meter-card .field-error[data-field="riser"]'), /більше 0/);
  await page.fill("#mc-riser", "2");
  await page.click("#mc-save");
  await page.waitForSelector("#mc-saved");
  await page.screenshot({ path: SHOTS + "meter-card.png", fullPage: true });
  // Opened again from a fresh list, the card shows what was stored.
  await page.click("#mc-close");
  await page.reload();
  await page.waitForSelector(`#meters-table tr[data-serial="${serial}"] .meter-card`);
  await page.click(`#meters-table tr[data-serial="${serial}"] .meter-card`);
  await page.waitForSelector("#meter-card");
  assert.equal(await page.inputValue("#mc-manufacturer"), "Apator Powogaz");
  assert.equal(await page.inputValue("#mc-riser"), "2");
  assert.equal(await page.isChecked("#mc-remote"), true);
  assert.equal(await page.inputValue("#mc-owner"), "subscriber");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a legal entity's meter shows the metering point it stands on, among its contract's points", async () => {
  const { page, errors } = await openApp();
  await page.click("#menu-meters");
  await page.fill("#meter-search", "ВГ-240117");
  await page.press("#meter-search", "Enter");
  const row = '#meters-table tr[data-serial="ВГ-240117"] .meter-card';
  await page.waitForSelector(row);
  await page.click(row);
  await page.waitForSelector("#mc-point");
  await page.waitForFunction(() => (document.querySelector("#mc-point")?.selectedOptions[0]?.textContent ?? "").startsWith("Ввід №1"));
  // Both of the contract's points are offered (and "none").
  const offered = await page.$$eval("#mc-point option", (o) => o.map((x) => x.textContent));
  assert.equal(offered.length, 3, offered.join(" | "));
  assert.ok(offered.some((t) => t.startsWith("Ввід №2")), offered.join(" | "));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the premises card takes its details and its areas from a date; a mistaken building goes", async () => {
  const { page, errors } = await openApp();
  // A new building (no accounts), in a locality listed after the demo's buildings.
  await gql(page,
    "mutation { addAddress(input: { locality: \"Ясногородка\", street: \"Приміщення\", building: \"5\", apartmentsFrom: 1, apartmentsTo: 2 }) { buildingId } }");
  await page.click("#menu-administration");
  await page.click("#tab-buildings");
  await page.fill("#buildings-search", "Приміщення");
  await page.press("#buildings-search", "Enter");
  await page.waitForSelector("#buildings-table tbody tr");
  await page.click("#buildings-table tbody tr:first-child");
  await page.waitForSelector('#premises-table tr[data-number="1"]');
  await page.click('#premises-table tr[data-number="1"]');
  await page.waitForSelector("#premises-editor");
  await page.fill("#pe-rooms", "три");
  await page.click("#pe-save");
  await page.waitForSelector('#premises-form .field-error[data-field="rooms"]');
  await page.fill("#pe-rooms", "3");
  await page.fill("#pe-riser", "2");
  await page.selectOption("#pe-stove", "electric");
  await page.click("#pe-save");
  await page.waitForSelector("#pe-saved");
  await page.fill("#pa-total", "");
  await page.click("#pa-save");
  await page.waitForSelector('#premises-areas .field-error[data-field="totalArea"]');
  await page.fill("#pa-from", "2026-01-01");
  await page.fill("#pa-total", "54,3");
  await page.fill("#pa-living", "38,1");
  await page.click("#pa-save");
  await page.waitForSelector("#pa-saved");
  await page.waitForFunction(() => /54[,.]3/.test(document.querySelector('#premises-table tr[data-number="1"]')?.textContent ?? ""));
  // An apartment entered by mistake is deleted; then the whole (account-less) building.
  await page.click('#premises-table tr[data-number="2"]');
  await page.waitForSelector('#premises-editor h4:has-text("2")');
  await page.click("#pe-delete");
  await page.waitForSelector('#premises-table tr[data-number="2"]', { state: "detached" });
  await page.click("#be-delete");
  await page.waitForSelector("#building-editor", { state: "detached" });
  await page.waitForFunction(() => ![...document.querySelectorAll("#buildings-table tbody tr")].some((r) => r.textContent.includes("Приміщення")));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the numbering of accounts is a setting on its own tab", async () => {
  const { page, errors } = await openApp();
  await page.click("#menu-settings");
  await page.click("#settings-tab-numbering");
  await page.waitForSelector("#num-length:not([disabled])");
  const [prefix, length] = [await page.inputValue("#num-prefix"), await page.inputValue("#num-length")];
  await page.fill("#num-prefix", "12");
  await page.fill("#num-length", "2");
  await page.click("#num-save");
  await page.waitForSelector('#numbering-settings .field-error[data-field="length"]');
  assert.match(await page.textContent('#numbering-settings .field-error[data-field="length"]'), /префікс/);
  await page.fill("#num-length", "8");
  assert.equal((await page.textContent("#num-sample")).trim().split(" ").pop(), "12000001");
  // Put back as it was (the files after this one open accounts with the demo's numbering).
  await page.fill("#num-prefix", prefix);
  await page.fill("#num-length", length);
  await page.click("#num-save");
  await page.waitForSelector("#num-saved");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a street is renamed from the building card and its accounts' addresses follow", async () => {
  const { page, errors } = await openApp();
  await page.click("#menu-administration");
  await page.click("#tab-buildings");
  await page.fill("#buildings-search", "Шолохова");
  await page.press("#buildings-search", "Enter");
  await page.waitForSelector("#buildings-table tbody tr");
  await page.click("#buildings-table tbody tr:first-child");
  await page.waitForSelector("#address-editor #ae-street-name");
  const was = await page.inputValue("#ae-street-name");
  assert.equal(was, "вул. Шолохова");
  const before = await gql(page, "{ accounts(search: \"Шолохова\") { total } }");
  assert.ok(before.accounts.total > 0);
  try {
    // A postal index that is no index is refused naming the rule, in Ukrainian.
    await page.fill("#ae-street-postal", "02222/1");
    await page.click("#ae-street-save");
    await page.waitForSelector("#ae-street-message");
    assert.match(await page.textContent("#ae-street-message"), /великих літер/);
    await page.fill("#ae-street-postal", "02222");
    await page.fill("#ae-street-name", "вул. Михайла Шолохова");
    await page.click("#ae-street-save");
    await page.waitForFunction(() => /Збережено/.test(document.querySelector("#ae-street-message")?.textContent ?? ""));
    assert.match(await page.textContent("#ae-street-message"), new RegExp(`${before.accounts.total} особов`));
    await page.screenshot({ path: SHOTS + "address-editor.png", fullPage: true });
    const after = await gql(page, "{ accounts(search: \"Михайла Шолохова\") { total items { address } } }");
    assert.equal(after.accounts.total, before.accounts.total);
    assert.ok(after.accounts.items.every((a) => a.address.includes("вул. Михайла Шолохова, 5")));
  } finally {
    // Put back as it was: the files after this one read the demo's addresses.
    const card = await gql(page, "query { buildings(search: \"Шолохова\") { items { id } } }");
    const b = await gql(page, "query($id: Int!) { building(id: $id) { address { streetId } } }", { id: card.buildings.items[0].id });
    await gql(page, "mutation($id: Int!) { updateStreet(id: $id, input: { name: \"вул. Шолохова\" }) }", { id: b.building.address.streetId });
  }
  const back = await gql(page, "{ accounts(search: \"Шолохова\") { total items { address } } }");
  assert.ok(back.accounts.items.every((a) => !a.address.includes("Михайла")));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the main meter is chosen on the meter card", async () => {
  const { page, errors } = await openApp();
  // An apartment meter of a house that has a house meter (the demo's Brovary house).
  const { meters } = await gql(page, "{ meters(search: \"Бровари\", limit: 200) { items { id serial installMethod parentSerial serviceId } } }");
  const house = meters.items.find((m) => m.installMethod === "building");
  const flat = meters.items.find((m) => m.installMethod === "apartment" && m.serviceId === house?.serviceId);
  assert.ok(flat && house, JSON.stringify(meters.items));
  const had = flat.parentSerial;
  await page.click("#menu-meters");
  await page.fill("#meter-search", flat.serial);
  await page.press("#meter-search", "Enter");
  await page.waitForSelector(`#meters-table tr[data-serial="${flat.serial}"] .meter-card`);
  await page.click(`#meters-table tr[data-serial="${flat.serial}"] .meter-card`);
  await page.waitForSelector("#mc-main");
  try {
    if (had) {
      await page.click("#mc-main-remove");
      await page.waitForFunction(() => document.querySelector("#mc-main-current")?.textContent.trim() === "—");
    }
    await page.waitForSelector(`#mc-main-choice option[value="${house.id}"]`, { state: "attached" });
    await page.selectOption("#mc-main-choice", String(house.id));
    await page.click("#mc-main-assign");
    await page.waitForFunction((s) => document.querySelector("#mc-main-current")?.textContent.trim() === s, house.serial);
    assert.match(await page.textContent("#mc-main-message"), /Готово/);
  } finally {
    // As it was: under the meter it had, or none.
    const now = await gql(page, "query($s: String!) { meters(search: $s) { items { id parentSerial } } }", { s: flat.serial });
    if (now.meters.items[0].parentSerial !== had) {
      await gql(page, "mutation($ids: [Int!]!) { removeMainMeter(meterIds: $ids) { changed } }", { ids: [flat.id] });
      if (had) {
        const main = meters.items.find((m) => m.serial === had);
        await gql(page, "mutation($m: Int!, $ids: [Int!]!) { assignMainMeter(mainId: $m, meterIds: $ids) { changed } }", { m: main.id, ids: [flat.id] });
      }
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("ticked accounts move to a journal and the list shows that journal alone", async () => {
  const { page, errors } = await openApp();
  const numbers = ["100030", "100031"];
  const ids = [await accountId(page, numbers[0]), await accountId(page, numbers[1])];
  try {
    await page.waitForSelector('#filter-journal option:has-text("Приватний сектор")', { state: "attached" });
    for (const n of numbers) {
      await page.fill("#account-search", n);
      await page.press("#account-search", "Enter");
      await page.waitForSelector(`#accounts-table tr[data-number="${n}"] .pick-account`);
      await page.check(`#accounts-table tr[data-number="${n}"] .pick-account`);
    }
    await page.waitForSelector("#journal-move");
    await page.selectOption("#journal-move-select", { label: "Приватний сектор" });
    await page.click("#journal-move-button");
    await page.waitForFunction(() => /Переміщено в журнал: 2/.test(document.querySelector("#journal-move-message")?.textContent ?? ""));
    await page.fill("#account-search", "");
    await page.press("#account-search", "Enter");
    await page.selectOption("#filter-journal", { label: "Приватний сектор" });
    await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr").length === 2);
    const shown = await page.locator("#accounts-table tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.number));
    assert.deepEqual(shown.sort(), numbers);
    await page.screenshot({ path: SHOTS + "journal-filter.png", fullPage: true });
  } finally {
    // Out of the journal again, as the demo has them.
    await gql(page, "mutation($ids: [Int!]!) { moveAccountsToJournal(accountIds: $ids, journalId: null) { changed } }", { ids });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("services are added to the ticked buildings in one go", async () => {
  const { page, errors } = await openApp();
  const ids = [];
  for (const n of ["1", "2"]) {
    const d = await gql(page, "mutation($n: String!) { addAddress(input: { locality: \"Ясногородка\", street: \"Послуг\", building: $n }) { buildingId } }", { n });
    ids.push(d.addAddress.buildingId);
  }
  try {
    await page.click("#menu-administration");
    await page.click("#tab-buildings");
    await page.fill("#buildings-search", "Послуг");
    await page.press("#buildings-search", "Enter");
    await page.waitForFunction(() => document.querySelectorAll("#buildings-table tbody tr .pick-building").length === 2);
    await page.check("#buildings-table tbody tr:nth-child(1) .pick-building");
    await page.check("#buildings-table tbody tr:nth-child(2) .pick-building");
    await page.waitForSelector("#buildings-services");
    await page.click("#bs-add");
    await page.waitForSelector("#bs-message");
    assert.match(await page.textContent("#bs-message"), /послугу/);
    const label = page.locator('#buildings-services label:has-text("Холодне водопостачання") input');
    await label.check();
    await page.click("#bs-add");
    await page.waitForFunction(() => /Змінено будинків: 2/.test(document.querySelector("#bs-message")?.textContent ?? ""));
    const { building } = await gql(page, "query($id: Int!) { building(id: $id) { details { serviceIds } } }", { id: ids[1] });
    assert.equal(building.details.serviceIds.length, 1);
  } finally {
    for (const id of ids) await gql(page, "mutation($id: Int!) { deleteBuilding(id: $id) }", { id });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a removed resident is kept on the card and restored", async () => {
  const { page, errors } = await openApp();
  const number = "100032";
  await openCard(page, number);
  await page.waitForSelector("#residents-table tbody tr[data-resident]");
  const name = await page.getAttribute("#residents-table tbody tr[data-resident]", "data-resident");
  const count = await page.locator("#residents-table tbody tr[data-resident]").count();
  await page.click(`#residents-table tr[data-resident="${name}"] .delete`);
  await page.waitForFunction((n) => document.querySelectorAll("#residents-table tbody tr[data-resident]").length === n, count - 1);
  await page.click("#removed-residents summary");
  await page.waitForSelector(`#removed-residents-table tr[data-resident="${name}"] .restore`);
  await page.click(`#removed-residents-table tr[data-resident="${name}"] .restore`);
  await page.waitForSelector(`#residents-table tr[data-resident="${name}"]`);
  assert.equal(await page.locator("#residents-table tbody tr[data-resident]").count(), count);
  await page.waitForSelector("#removed-residents", { state: "detached" });
  assert.deepEqual(errors, []);
  await page.close();
});
