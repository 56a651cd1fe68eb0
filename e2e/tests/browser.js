// Launches Debian's Chromium headless (never a downloaded browser) with the flags this
// machine's closed network needs.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

export const BASE = process.env.E2E_BASE_URL ?? "http://127.0.0.1:18080";
export const SHOTS = new URL("../test-results/", import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** A headless Chromium; each `browser.newPage()` gets its own cookies (its own context). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export const TENANT = process.env.E2E_TENANT ?? "e2e_demo";
export const PASSWORD = "Demo-2026-pass";

/** Opens the app signed out and signs in through the form. */
export async function signIn(page, login, password = PASSWORD) {
  await page.goto(BASE);
  await page.waitForSelector("#login-name", { timeout: 30000 });
  await page.fill("#login-name", login);
  await page.fill("#login-password", password);
  await page.click("#login-submit");
}
