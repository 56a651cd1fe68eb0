// Reference books: the generic screen adds, edits and deletes records, and refuses to
// delete one still in use.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SHOTS, TENANT, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a bank is added, edited and deleted in its reference book", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-reference-books");
  await page.click("#book-banks");
  await page.waitForSelector("#book-form input[name=taxId]");
  await page.fill("#book-code", "300001");
  await page.fill("#book-name", "Ощадбанк");
  await page.fill("#book-form input[name=taxId]", "00032129");
  await page.click("#book-save");
  const row = '#book-table tr[data-code="300001"]';
  await page.waitForSelector(row);
  assert.deepEqual((await page.locator(`${row} td`).allTextContents()).slice(0, 3), ["300001", "Ощадбанк", "00032129"]);

  await page.click(`${row} .edit`);
  await page.fill("#book-name", "АТ «Ощадбанк»");
  await page.click("#book-save");
  await page.waitForFunction((r) => document.querySelector(r)?.textContent.includes("АТ «Ощадбанк»"), row);
  await page.screenshot({ path: SHOTS + "books-banks.png" });

  await page.click(`${row} .delete`);
  await page.waitForFunction((r) => !document.querySelector(r), row);
  await page.close();
});

test("a branch with accounts cannot be deleted; the reason is shown", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-reference-books");
  await page.click("#book-branches");
  const row = '#book-table tr[data-code="2"]';
  await page.waitForSelector(row);
  await page.click(`${row} .delete`);
  await page.waitForSelector("#book-message");
  assert.match(await page.textContent("#book-message"), /використовується/);
  assert.equal(await page.locator(row).count(), 1);
  await page.close();
});

test("a service points at a unit; a price list gets tariffs of components, drawn over time", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-reference-books");
  const n = Date.now() % 100000;

  // A service: the unit is a choice of the Units book, the method a translated choice.
  await page.click("#book-services");
  await page.waitForSelector("#book-form select[name=unit]");
  await page.fill("#book-code", `cw${n}`);
  await page.fill("#book-name", "Холодна вода");
  await page.selectOption("#book-form select[name=unit]", { label: "м³" });
  await page.selectOption("#book-form select[name=method]", "metered");
  await page.click("#book-save");
  const row = `#book-table tr[data-code="cw${n}"]`;
  await page.waitForSelector(row);
  const cells = await page.locator(`${row} td`).allTextContents();
  assert.equal(cells[2], "м³");
  assert.equal(cells[3], "За приладом обліку");

  await page.click("#book-price-lists");
  await page.waitForSelector("#book-form");
  await page.fill("#book-code", `pl${n}`);
  await page.fill("#book-name", `Базовий ${n}`);
  await page.click("#book-save");
  await page.waitForSelector(`#book-table tr[data-code="pl${n}"]`);

  // Tariffs: the first from two components (their sum), the second entered directly.
  await page.click("#book-tariffs");
  await page.waitForSelector(`#tariff-price-list option:has-text("Базовий ${n}")`, { state: "attached" });
  await page.selectOption("#tariff-price-list", { label: `Базовий ${n}` });
  await page.selectOption("#tariff-service", { label: "Холодна вода" });
  await page.fill("#tariff-from", "2026-01-01");
  await page.click("#tariff-add-component");
  await page.click("#tariff-add-component");
  await page.locator(".component-name").nth(0).fill("Водопостачання");
  await page.locator(".component-price").nth(0).fill("18,42");
  await page.locator(".component-name").nth(1).fill("Водовідведення");
  await page.locator(".component-price").nth(1).fill("12.99");
  await page.click("#tariff-save");
  await page.waitForSelector('#tariffs-table tbody tr td:has-text("31,41")');
  await page.fill("#tariff-from", "2026-07-01");
  await page.fill("#tariff-price", "33.50");
  await page.click("#tariff-save");
  await page.waitForSelector('#tariffs-table tbody tr td:has-text("33,5")');
  assert.equal(await page.locator("#tariffs-table tbody tr").count(), 2);
  await page.waitForSelector("#tariff-chart path");
  await page.screenshot({ path: SHOTS + "tariffs.png" });

  // A price that is not a number is refused, naming the field.
  await page.fill("#tariff-price", "дорого");
  await page.click("#tariff-save");
  const priceError = '#tariff-form .field-error[data-field="price"]';
  await page.waitForSelector(priceError);
  assert.match(await page.textContent(priceError), /^ціна: /);
  await page.close();
});

test("heating floor coefficients are added, refused out of range by the field, changed and removed", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-reference-books");
  await page.click("#book-heating-coefficients");
  await page.waitForSelector("#heating-form");
  // Out of range: refused by its field, in the user's language.
  await page.fill("#heating-from", "2019-10-01");
  await page.fill("#heating-low", "1");
  await page.fill("#heating-high", "7");
  await page.click("#heating-save");
  const highError = '#heating-form .field-error[data-field="highRise"]';
  await page.waitForSelector(highError);
  assert.match(await page.textContent(highError), /від 0,5 до 3/);
  await page.fill("#heating-high", "1,05");
  await page.fill("#heating-note", "Наказ № 7");
  await page.click("#heating-save");
  const row = '#heating-coefficients-table tr[data-from="2019-10-01"]';
  await page.waitForSelector(row);
  assert.match(await page.textContent(row), /1\.05/);
  // Changed through «Edit», then removed.
  await page.click(`${row} .heating-edit`);
  assert.equal(await page.inputValue("#heating-high"), "1.05");
  await page.fill("#heating-high", "1.1");
  await page.click("#heating-save");
  await page.waitForFunction((r) => document.querySelector(r)?.textContent.includes("1.1"), row);
  await page.screenshot({ path: SHOTS + "books-heating-coefficients.png" });
  await page.click(`${row} .delete`);
  await page.waitForFunction((r) => !document.querySelector(r), row);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a moratorium on penalties is added to the book, refused where it overlaps, changed and removed", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-reference-books");
  await page.click("#book-penalty-moratoria");
  // Pre-filled with the Russian moratoria of 2020 and 2022.
  await page.waitForSelector('#penalty-moratoria-table tr[data-from="2022-03-31"]');
  await page.selectOption("#moratorium-rule", "UKRAINE");
  await page.fill("#moratorium-from", "2024-01-01");
  await page.fill("#moratorium-to", "2024-01-31");
  await page.fill("#moratorium-note", "Рішення виконкому № 5");
  await page.click("#moratorium-save");
  const row = '#penalty-moratoria-table tr[data-from="2024-01-01"]';
  await page.waitForSelector(row);
  assert.match(await page.textContent(row), /Рішення виконкому № 5/);
  // Another of the same rule over its days is refused by its first day.
  await page.selectOption("#moratorium-rule", "UKRAINE");
  await page.fill("#moratorium-from", "2024-01-15");
  await page.fill("#moratorium-to", "2024-02-15");
  await page.click("#moratorium-save");
  await page.waitForSelector('#moratorium-from[aria-invalid="true"]');
  // Changed: «Edit» takes the row into the form.
  await page.click(`${row} .moratorium-edit`);
  assert.equal(await page.inputValue("#moratorium-from"), "2024-01-01");
  await page.fill("#moratorium-to", "2024-01-10");
  await page.click("#moratorium-save");
  await page.waitForFunction((r) => document.querySelector(r)?.textContent.includes("2024-01-10"), row);
  await page.screenshot({ path: SHOTS + "books-moratoria.png" });
  await page.click(`${row} .delete`);
  await page.waitForFunction((r) => !document.querySelector(r), row);
  assert.deepEqual(errors, []);
  await page.close();
});
