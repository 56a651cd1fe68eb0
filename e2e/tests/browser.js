// Launches Debian's Chromium headless (never a downloaded browser) with the flags this
// machine's closed network needs.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import assert from "node:assert/strict";

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

/** Opens the app signed out and signs in through the form (confirmations accepted). */
export async function signIn(page, login, password = PASSWORD) {
  // Destructive actions ask first (window.confirm); the tests answer yes.
  if (!page.listenerCount("dialog")) page.on("dialog", (d) => d.accept());
  await page.goto(BASE);
  await page.waitForSelector("#login-name", { timeout: 30000 });
  await page.fill("#login-name", login);
  await page.fill("#login-password", password);
  await page.click("#login-submit");
}

/** A 10 Mbit/s line (seed 000's minimum), 20 ms each way. */
export const TEN_MBIT = { offline: false, latency: 20, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };

/**
 * Opens the app in `context` over `line` and waits for the first screen (the sign-in
 * form). Returns the milliseconds it took, the bytes that crossed the network and the
 * responses by URL path.
 */
export async function firstScreen(context, line = TEN_MBIT) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", line);
  let bytes = 0;
  const responses = new Map();
  cdp.on("Network.responseReceived", (e) => responses.set(e.requestId, e.response));
  cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
  const started = Date.now();
  await page.goto(BASE);
  await page.waitForSelector("#login-name", { timeout: 30000 });
  const ms = Date.now() - started;
  await cdp.detach();
  const byPath = new Map([...responses.values()].map((r) => [new URL(r.url).pathname, r]));
  await page.close();
  return { ms, bytes, responses: byPath };
}

/** The content type and first `n` characters of the file a link points at, fetched by the
 * page itself (with its session). */
export async function fetchHead(page, selector, n = 5) {
  const href = await page.getAttribute(selector, "href");
  return page.evaluate(async ([h, k]) => {
    const r = await fetch(h);
    return { type: r.headers.get("content-type"), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, k)) };
  }, [href, n]);
}

/**
 * Chooses a building in a searchable picker (`#<prefix>-building`): types part of its
 * address, waits for the server's suggestion holding it and takes that one, as a user
 * picks from the list the browser offers.
 */
export async function pickBuilding(page, id, part) {
  await page.fill(id, part);
  const found = ([list, p]) => [...document.querySelectorAll(`${list} option`)].find((o) => o.value.includes(p))?.value;
  await page.waitForFunction(found, [`${id}-list`, part]);
  await page.fill(id, await page.evaluate(found, [`${id}-list`, part]));
}

/// One GraphQL operation with the page's session (what a screen would send); fails the
/// test on any error.
export async function gql(page, query, variables = {}) {
  const r = await page.evaluate(async ([query, variables]) => {
    const csrf = document.cookie.split("; ").find((c) => c.startsWith("billing_csrf="))?.split("=")[1];
    const res = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(csrf ? { "X-CSRF-Token": csrf } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  }, [query, variables]);
  assert.ok(!r.errors, JSON.stringify(r.errors));
  return r.data;
}
