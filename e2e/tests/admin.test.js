// Sign-in and the tenant admin's screens (seed 000 Fig. 19): users, roles, change log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SHOTS, TENANT, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a wrong password shows the generic warning, in the user's language", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.viewer`, "Wrong-password-1");
  await page.waitForSelector("#login-error");
  assert.equal((await page.textContent("#login-error")).trim(), "Невірний логін або пароль");
  await page.screenshot({ path: SHOTS + "login-error.png" });
  await page.close();
});

test("admin creates a user with a role; the user signs in and sees only what the role allows", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-administration");
  await page.waitForSelector("#users-table tbody tr[data-login]");
  const login = `${TENANT}.ctl${Date.now() % 100000}`;
  await page.fill("#new-user-login", login);
  await page.fill("#new-user-name", "Контролер Петро");
  await page.fill("#new-user-password", "Маршрут-2026-північ");
  await page.check('input[name="role"][value="controller"]');
  // Access limited to one branch (id 2, Бровари: the demo's ten accounts in Київська, 1).
  await page.check('input[name="reach-branch"][value="2"]');
  await page.click("#new-user-submit");
  await page.waitForSelector(`#users-table tr[data-login="${login}"]`);
  const row = await page.locator(`#users-table tr[data-login="${login}"] td`).allTextContents();
  assert.equal(row[2], "Контролер");
  assert.equal(await page.getAttribute(`#users-table tr[data-login="${login}"] td[data-roles]`, "data-roles"), "controller");
  assert.equal(row[4], "1 філія");
  await page.screenshot({ path: SHOTS + "admin-users.png" });

  // The change log lists the creation, by the admin.
  await page.click("#tab-audit");
  await page.fill("#audit-user", `${TENANT}.admin`);
  await page.selectOption("#audit-entity", "user");
  await page.click('#audit-filter button[type="submit"]');
  await page.waitForFunction((l) => document.querySelector("#audit-table tbody")?.textContent.includes(l), login);
  // Times read in the tenant's zone, as Ukrainian writes them, with the zone named.
  const at = page.locator("#audit-table tbody td[data-at]").first();
  assert.match(await at.textContent(), /^\d{2}\.\d{2}\.\d{2,4}, \d{2}:\d{2} (GMT|UTC)/);
  await page.screenshot({ path: SHOTS + "admin-audit.png" });

  // Switch user: the controller has no Administration and no Payments rights.
  await page.click("#sign-out");
  await page.waitForSelector("#login-name");
  await page.fill("#login-name", login);
  await page.fill("#login-password", "Маршрут-2026-північ");
  await page.click("#login-submit");
  await page.waitForSelector("#accounts-table tbody tr");
  assert.equal(await page.locator("#menu-administration").count(), 0);
  // Only the branch's accounts.
  await page.waitForFunction(() => [...document.querySelectorAll("#accounts-table tbody tr")].every((r) => r.textContent.includes("Бровари")));
  assert.equal(await page.locator("#accounts-table tbody tr").count(), 10);
  assert.equal((await page.textContent("#current-user")).trim(), "Контролер Петро");
  await page.close();
});

test("admin deactivates a user, who can no longer sign in", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-administration");
  const row = `#users-table tr[data-login="${TENANT}.accountant"]`;
  await page.waitForSelector(row);
  await page.click(`${row} .toggle-active`);
  await page.waitForFunction((r) => document.querySelector(r)?.textContent.includes("Вимкнений"), row);
  const other = await browser.newPage();
  await signIn(other, `${TENANT}.accountant`);
  await other.waitForSelector("#login-error");
  await page.click(`${row} .toggle-active`);
  await page.waitForFunction((r) => document.querySelector(r)?.textContent.includes("Активний"), row);
  await other.close();
  await page.close();
});

test("role editor shows the matrix and edits a custom role", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-administration");
  await page.click("#tab-roles");
  await page.waitForSelector("#role-matrix");
  // Built-in roles are read-only.
  assert.equal(await page.isDisabled('#role-matrix input[data-perm="accounts.view"]'), true);
  const code = `cashier${Date.now() % 100000}`;
  await page.fill("#new-role-code", code);
  await page.fill("#new-role-name", "Касир");
  await page.click("#new-role-submit");
  await page.waitForFunction((c) => [...document.querySelectorAll("#role-select option")].some((o) => o.selected && o.textContent.includes(c)), code);
  const box = '#role-matrix input[data-perm="payments.create"]';
  assert.equal(await page.isChecked(box), false);
  // The checkbox flips at once in the browser; wait for the server to have saved it.
  const saved = page.waitForResponse((r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes("UpdateRole"));
  await page.click(box);
  await saved;
  await page.reload();
  // The tab is in the URL: the reload stays on it.
  await page.waitForSelector("#tab-roles.active");
  await page.waitForSelector("#role-select");
  await page.selectOption("#role-select", { label: `Касир (${code})` });
  await page.waitForFunction((b) => document.querySelector(b)?.checked === true, box);
  await page.screenshot({ path: SHOTS + "admin-roles.png" });
  await page.close();
});

test("add address creates a building with its apartments, shown on the building card", async () => {
  const page = await browser.newPage();
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-administration");
  await page.click("#tab-add-address");
  await page.selectOption("#addr-kind", "avenue");
  await page.fill("#addr-locality", "Київ");
  await page.fill("#addr-street", "Науки");
  await page.fill("#addr-building", "7");
  await page.fill("#addr-from", "1");
  await page.fill("#addr-to", "9");
  await page.fill("#addr-entrances", "3");
  await page.fill("#addr-floors", "3");
  await page.click("#addr-submit");
  await page.waitForSelector("#addr-message");
  assert.match(await page.textContent("#addr-message"), /Київ, Науки, 7: створено квартир 9/);
  await page.click("#tab-buildings");
  // Found by its address among the tenant's buildings.
  await page.fill("#buildings-search", "Науки");
  await page.press("#buildings-search", "Enter");
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll("#buildings-table tbody tr")];
    return rows.length >= 1 && rows.every((r) => r.textContent.includes("Науки"));
  });
  await page.click('#buildings-table tr:has-text("Науки")');
  await page.waitForSelector("#premises-table tbody tr");
  assert.equal(await page.locator("#premises-table tbody tr").count(), 9);
  const last = await page.locator("#premises-table tbody tr").last().locator("td").allTextContents();
  assert.deepEqual(last.slice(0, 3), ["9", "3", "3"]);
  await page.screenshot({ path: SHOTS + "add-address.png" });
  await page.close();
});
