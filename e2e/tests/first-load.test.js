// The first visit over a 10 Mbit/s line: the client's assets come precompressed (brotli),
// under content-hashed names cached for a year; index.html is revalidated every time; a cold
// first load moves less than 1.2 MB and a second visit only index.html. The time to the
// first screen is printed; `e2e/bench-first-load` measures it over many loads
// (docs/performance.md) — timings are not asserted in tests.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { firstScreen, launch } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const header = (r, name) => r.headers[name] ?? r.headers[name.toLowerCase()] ?? "";

test("the first screen arrives compressed, cached by content, under 1.2 MB", async () => {
  const context = await browser.newContext();
  const cold = await firstScreen(context);
  console.log(`first load over 10 Mbit/s: ${cold.ms} ms, ${cold.bytes} bytes`);
  const assets = [...cold.responses.entries()].filter(([p]) => /\.(wasm|js|css)$/.test(p));
  assert.deepEqual(assets.map(([p]) => p.split(".").pop()).sort(), ["css", "js", "wasm"]);
  for (const [path, r] of assets) {
    assert.match(path, /\.[0-9a-f]{16}\.(wasm|js|css)$/, `${path} is named by its content`);
    assert.equal(header(r, "content-encoding"), "br", `${path} comes as brotli`);
    assert.match(header(r, "cache-control"), /max-age=31536000, immutable/, path);
    assert.match(header(r, "vary"), /accept-encoding/i, path);
  }
  const index = cold.responses.get("/");
  assert.equal(header(index, "cache-control"), "no-cache");
  assert.ok(cold.bytes < 1_200_000, `${cold.bytes} bytes on the first load`);
  // A second visit takes the assets from the cache: only the page itself crosses the line.
  const warm = await firstScreen(context);
  console.log(`second visit: ${warm.ms} ms, ${warm.bytes} bytes`);
  assert.ok(warm.bytes < 50_000, `${warm.bytes} bytes on the second visit`);
  await context.close();
});
