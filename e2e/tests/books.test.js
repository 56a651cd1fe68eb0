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
