// Single sign-on end to end against a real OpenID provider (oidc-provider on loopback,
// started by infra/): authorization code + PKCE, ID token checked by the backend.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, SHOTS, TENANT, launch } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function ssoAs(page, email) {
  await page.goto(BASE);
  await page.waitForSelector("#sso-tenant");
  await page.fill("#sso-tenant", TENANT);
  await page.click("#sso-submit");
  // The provider's own sign-in form.
  await page.waitForSelector('input[name="login"]', { timeout: 30000 });
  await page.fill('input[name="login"]', email);
  await page.fill('input[name="password"]', "anything");
  await page.click('button[type="submit"]');
}

test("a user signs in through the organisation's OpenID provider", async () => {
  const page = await browser.newPage();
  await ssoAs(page, `operator@${TENANT}.example`);
  await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
  assert.equal((await page.textContent("#current-user")).trim(), "Demo operator");
  assert.equal(new URL(page.url()).origin, new URL(BASE).origin);
  await page.screenshot({ path: SHOTS + "sso-signed-in.png" });
  await page.close();
});

test("an identity with no user in the organisation is refused with the reason", async () => {
  const page = await browser.newPage();
  await ssoAs(page, `stranger@${TENANT}.example`);
  await page.waitForSelector("#sso-error", { timeout: 30000 });
  assert.match(await page.textContent("#sso-error"), /stranger@/);
  assert.equal(await page.locator("#accounts-table").count(), 0);
  await page.close();
});
