// A utility signs up: the platform operator creates its tenant with the first admin in the
// console; the admin's invitation link sets the password and opens the tenant's own
// screens. A forgotten password comes back the same way, by a link to the user's e-mail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE, SHOTS, TENANT, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The text parts of a raw message, decoded (quoted-printable or base64), as read. */
function readable(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  let body = rest.join("\n\n");
  if (/Content-Transfer-Encoding:\s*base64/i.test(raw)) {
    body = body.split(/\r?\n\r?\n/).map((part) => {
      const b64 = part.replace(/--[^\n]*\n?/g, "").replace(/[^A-Za-z0-9+/=]/g, "");
      return b64.length > 20 ? Buffer.from(b64, "base64").toString("utf8") : part;
    }).join("\n");
  }
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(raw)) {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => `%${h}`);
    try { body = decodeURIComponent(bytes); } catch { body = bytes; }
  }
  return head + "\n" + body;
}

/** The token of the newest set-password link mailed to `to` not among `known`. */
async function linkTo(to, known = []) {
  const maildir = process.env.APP_TEST_MAILDIR;
  assert.ok(maildir, "APP_TEST_MAILDIR names the SMTP sink's Maildir (infra/test sets it)");
  for (let i = 0; i < 100; i++) {
    const tokens = readdirSync(join(maildir, "new"))
      .map((f) => readFileSync(join(maildir, "new", f), "utf8"))
      .filter((m) => m.includes(`To: ${to}`))
      .map((m) => readable(m).match(/\/set-password\?token=([A-Za-z0-9_-]+)/)?.[1])
      .filter((t) => t && !known.includes(t));
    if (tokens.length) return tokens[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new link mailed to ${to}`);
}

test("the platform operator creates a tenant; its first admin sets the password by the invitation", async () => {
  const page = await browser.newPage();
  await signIn(page, "platform");
  await page.waitForSelector(`#tenants-table tr[data-slug="${TENANT}"]`);
  // The demo tenant is there with its size.
  const accounts = Number(await page.getAttribute(`#tenants-table tr[data-slug="${TENANT}"] td[data-accounts]`, "data-accounts"));
  assert.ok(accounts > 10, `the demo tenant's accounts: ${accounts}`);

  const slug = `onb_${Date.now() % 1000000}`;
  const email = `${slug}.admin@example.com`;
  // A slug the rules refuse is named.
  await page.fill("#new-tenant-slug", "Bad Slug");
  await page.fill("#new-tenant-name", "Водоканал Нове Місто");
  await page.selectOption("#new-tenant-country", "UA");
  await page.selectOption("#new-tenant-kind", "water");
  await page.fill("#new-tenant-admin-login", `${slug}.admin`);
  await page.fill("#new-tenant-admin-name", "Олег Перший");
  await page.fill("#new-tenant-admin-email", email);
  await page.click("#new-tenant-submit");
  await page.waitForSelector('#new-tenant [data-field="slug"]');
  await page.fill("#new-tenant-slug", slug);
  await page.click("#new-tenant-submit");
  await page.waitForSelector("#new-tenant-created");
  await page.waitForSelector(`#tenants-table tr[data-slug="${slug}"]`);
  await page.screenshot({ path: SHOTS + "platform-console.png", fullPage: true });

  // The invitation opens the page that sets the password.
  const token = await linkTo(email);
  const admin = await browser.newPage();
  await admin.goto(`${BASE}/set-password?token=${token}`);
  await admin.waitForSelector("#set-password-form");
  await admin.fill("#set-password-new", "Novyi-Vodokanal-2026");
  await admin.fill("#set-password-again", "Novyi-Vodokanal-2026");
  await admin.click("#set-password-submit");
  await admin.waitForSelector("#set-password-done");
  assert.match(await admin.textContent("#set-password-done"), new RegExp(`${slug}\\.admin`));
  await admin.screenshot({ path: SHOTS + "set-password-done.png" });
  // The same link again is refused.
  await admin.goto(`${BASE}/set-password?token=${token}`);
  await admin.fill("#set-password-new", "Insha-Vodokanal-2026");
  await admin.fill("#set-password-again", "Insha-Vodokanal-2026");
  await admin.click("#set-password-submit");
  await admin.waitForSelector("#set-password-error");
  // Signed in, the admin is in the new tenant's own workspace.
  await signIn(admin, `${slug}.admin`, "Novyi-Vodokanal-2026");
  await admin.waitForSelector("#menu-administration");
  await admin.click("#menu-administration");
  await admin.waitForSelector(`#users-table tr[data-login="${slug}.admin"]`);

  // The admin moves the accounts in from the old system: "Import data" lists the imports in
  // a migration's order with a sample each; a file with a bad row is refused whole, the row
  // named; the corrected one is checked, then posted, and the accounts are there.
  await admin.click("#menu-data-import");
  await admin.waitForSelector('#import-kinds-table tr[data-kind="ACCOUNTS"] a.sample');
  const kinds = await admin.$$eval("#import-kinds-table tbody tr", (rows) => rows.map((r) => r.dataset.kind));
  assert.deepEqual(kinds, ["TARIFFS", "PENALTY_RATES", "ACCOUNTS", "RESIDENTS", "RESIDENT_LIST", "METERS", "BALANCES", "BENEFICIARIES", "SUBSIDIES"]);
  assert.equal(await admin.getAttribute('#import-kinds-table tr[data-kind="ACCOUNTS"] a.sample', "download"), "accounts-sample.csv");
  const head = "Особовий рахунок;Місто;Вулиця;Будинок;Квартира;ПІБ;Тип;Площа;Мешканців\n";
  const bad = head + "000101;Нове Місто;Садова;1;1;Петренко Іван;individual;50;2\n000102;Нове Місто;Садова;1;2;Коваль Ольга;хтось;40;1\n";
  await admin.selectOption("#import-kind", "ACCOUNTS");
  await admin.setInputFiles("#import-file", { name: "rahunky.csv", mimeType: "text/csv", buffer: Buffer.from(bad, "utf8") });
  await admin.click("#import-start");
  await admin.waitForSelector("#import-result .import-file-result.state-refused", { timeout: 60000 });
  assert.match(await admin.textContent("#import-skipped tbody tr"), /000102.*individual/);
  const good = bad.replace("хтось", "individual");
  await admin.setInputFiles("#import-file", { name: "rahunky-2.csv", mimeType: "text/csv", buffer: Buffer.from(good, "utf8") });
  await admin.click("#import-start");
  await admin.waitForSelector("#import-result .import-file-result.state-checked", { timeout: 60000 });
  await admin.waitForSelector("#import-files-table tr.state-checked .import-post");
  await admin.click("#import-files-table tr.state-checked .import-post");
  await admin.waitForSelector("#import-files-table tr.state-posted", { timeout: 60000 });
  await admin.waitForSelector('#import-kinds-table tr[data-kind="ACCOUNTS"] td[data-records="2"]');
  // A list of residents posted at once: the row of an account the file numbers its own
  // way is skipped, then matched by hand to the right account and imported alone.
  const people = "account;fullName\n000101;Коваль Марія\n990099;Бондар Петро\n";
  await admin.selectOption("#import-kind", "RESIDENT_LIST");
  await admin.check("#import-post");
  await admin.setInputFiles("#import-file", { name: "meshkantsi.csv", mimeType: "text/csv", buffer: Buffer.from(people, "utf8") });
  await admin.click("#import-start");
  await admin.waitForSelector("#import-result .import-file-result.state-posted", { timeout: 60000 });
  assert.match(await admin.textContent("#import-skipped tbody tr"), /990099/);
  await admin.click('#import-files-table tr.state-posted[data-kind="RESIDENT_LIST"] td:first-child');
  await admin.waitForSelector("#import-rows-table tbody tr");
  await admin.selectOption("#import-match-line", "3");
  await admin.fill("#import-match-account", "000102");
  await admin.click("#import-match-apply");
  await admin.waitForSelector('#import-files-table tr.state-posted[data-kind="RESIDENT_LIST"][data-skipped="0"]', { timeout: 30000 });
  await admin.screenshot({ path: SHOTS + "data-import.png", fullPage: true });
  await admin.click("#menu-subscribers");
  await admin.waitForSelector('#accounts-table tr[data-number="000102"]');
  await admin.close();

  // Suspended, the tenant's sign-in is refused; resumed, it works again.
  await page.click(`#tenants-table tr[data-slug="${slug}"] .tenant-toggle`);
  await page.waitForSelector(`#tenants-table tr[data-slug="${slug}"] td.status-suspended`);
  await page.click(`#tenants-table tr[data-slug="${slug}"] .tenant-toggle`);
  await page.waitForSelector(`#tenants-table tr[data-slug="${slug}"] td.status-active`);

  // Its data exported by a worker job, then the tenant deleted — its code typed again —
  // and the export kept for download.
  await page.click(`#tenants-table tr[data-slug="${slug}"] .tenant-export`);
  await page.waitForSelector(`#tenant-exports-table tr[data-slug="${slug}"] td.state-done`, { timeout: 60000 });
  const href = await page.getAttribute(`#tenant-exports-table tr[data-slug="${slug}"] a.export-download`, "href");
  page.removeAllListeners("dialog");
  page.once("dialog", (d) => d.accept(slug));
  await page.click(`#tenants-table tr[data-slug="${slug}"] .tenant-delete`);
  await page.waitForSelector(`#tenants-table tr[data-slug="${slug}"]`, { state: "detached" });
  const zip = await page.evaluate(async (h) => (await fetch(h)).status, href);
  assert.equal(zip, 200, `the export ${href} is kept`);
  await page.screenshot({ path: SHOTS + "platform-console-exports.png", fullPage: true });
  await page.close();
});

test("a forgotten password is set again by the link to the user's e-mail", async () => {
  const page = await browser.newPage();
  // An admin adds a colleague by e-mail only: the colleague is invited.
  await signIn(page, `${TENANT}.admin`);
  await page.click("#menu-administration");
  await page.waitForSelector("#users-table tbody tr[data-login]");
  const login = `${TENANT}.fgt${Date.now() % 100000}`;
  const email = `${login}@example.com`;
  await page.fill("#new-user-login", login);
  await page.fill("#new-user-name", "Ганна Забудько");
  await page.fill("#new-user-email", email);
  await page.check('input[name="role"][value="viewer"]');
  await page.click("#new-user-submit");
  await page.waitForSelector(`#users-table tr[data-login="${login}"]`);
  const invitation = await linkTo(email);
  await page.close();

  // She does not use the invitation but asks for a new password from the sign-in page.
  const user = await browser.newPage();
  await user.goto(BASE);
  await user.waitForSelector("#forgot-open");
  await user.click("#forgot-open");
  await user.fill("#forgot-login", email);
  await user.click("#forgot-submit");
  await user.waitForSelector("#forgot-sent");
  await user.screenshot({ path: SHOTS + "forgot-sent.png" });
  const reset = await linkTo(email, [invitation]);
  await user.goto(`${BASE}/set-password?token=${reset}`);
  await user.fill("#set-password-new", "Zabula-i-zgadala-2026");
  await user.fill("#set-password-again", "Zabula-i-zgadala-2026");
  await user.click("#set-password-submit");
  await user.waitForSelector("#set-password-done");
  await user.click("#set-password-sign-in");
  await user.waitForSelector("#login-name");
  await user.fill("#login-name", login);
  await user.fill("#login-password", "Zabula-i-zgadala-2026");
  await user.click("#login-submit");
  await user.waitForSelector("#accounts-table tbody tr");
  await user.close();
});

test("a subscriber registers in the portal with the code the account card (and the invoice) shows", async () => {
  const office = await browser.newPage();
  await signIn(office, `${TENANT}.operator`);
  await office.waitForSelector('#accounts-table tr[data-number="100002"]');
  await office.click('#accounts-table tr[data-number="100002"]');
  await office.waitForSelector("#account-portal-code");
  const code = (await office.textContent("#account-portal-code")).trim();
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await office.close();

  const email = `reg${Date.now() % 100000}@example.com`;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(BASE);
  await page.waitForSelector("#register-open");
  await page.click("#register-open");
  await page.fill("#register-tenant", TENANT);
  await page.fill("#register-account", "100002");
  await page.fill("#register-code", "AAAA-BBBB");
  await page.fill("#register-email", email);
  await page.click("#register-submit");
  await page.waitForSelector("#register-error");
  assert.match(await page.textContent("#register-error"), /не збігаються/);
  await page.fill("#register-code", code.toLowerCase());
  await page.click("#register-submit");
  await page.waitForSelector("#register-sent");
  await page.screenshot({ path: SHOTS + "register-sent.png" });
  const token = await linkTo(email);
  await page.goto(`${BASE}/set-password?token=${token}`);
  await page.fill("#set-password-new", "Moya-kvartyra-2026");
  await page.fill("#set-password-again", "Moya-kvartyra-2026");
  await page.click("#set-password-submit");
  await page.waitForSelector("#set-password-done");
  await signIn(page, email, "Moya-kvartyra-2026");
  await page.waitForSelector("#portal-balance", { timeout: 30000 });
  assert.match(await page.textContent("body"), /100002/);
  await page.close();
});
