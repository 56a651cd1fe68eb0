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

/** Waits for `selector` after the provider's form; a consent step the provider may still
 * ask for (its session from an earlier sign-in) is confirmed. On a timeout the error says
 * where the browser was and what it showed. */
async function landOn(page, selector) {
  const consent = 'form[action$="/confirm"] button[type="submit"]';
  try {
    await page.waitForSelector(`${selector}, ${consent}`, { timeout: 30000 });
    if (await page.locator(consent).count()) {
      await page.click(consent);
      await page.waitForSelector(selector, { timeout: 30000 });
    }
  } catch (e) {
    const body = (await page.textContent("body").catch(() => "")) ?? "";
    throw new Error(`${e.message}\nat ${page.url()}\nshowing: ${body.trim().slice(0, 600)}`);
  }
}

test("a user signs in through the organisation's OpenID provider", async () => {
  const page = await browser.newPage();
  await ssoAs(page, `operator@${TENANT}.example`);
  await landOn(page, "#accounts-table tbody tr");
  assert.equal((await page.textContent("#current-user")).trim(), "Demo operator");
  assert.equal(new URL(page.url()).origin, new URL(BASE).origin);
  await page.screenshot({ path: SHOTS + "sso-signed-in.png" });
  await page.close();
});

test("an identity with no user in the organisation is refused with the reason", async () => {
  const page = await browser.newPage();
  await ssoAs(page, `stranger@${TENANT}.example`);
  await landOn(page, "#sso-error");
  assert.match(await page.textContent("#sso-error"), /stranger@/);
  assert.equal(await page.locator("#accounts-table").count(), 0);
  await page.close();
});

test("a sign-in link taken to another browser signs nobody in", async () => {
  const a = await browser.newPage();
  let callback;
  a.on("request", (r) => { if (r.url().includes("/auth/sso/callback")) callback = r.url(); });
  await ssoAs(a, `operator@${TENANT}.example`);
  await landOn(a, "#accounts-table tbody tr");
  assert.ok(callback, "the provider sent the browser back with a code");
  await a.close();
  // Another browser (its own cookies) opens the same link: refused for that reason — the
  // browser check comes before the flow is looked up.
  const b = await browser.newPage();
  await b.goto(callback);
  await landOn(b, "#sso-error");
  assert.match(await b.textContent("#sso-error"), /another browser|іншому браузері|другом браузере/);
  assert.equal(await b.locator("#accounts-table").count(), 0);
  await b.close();
});
