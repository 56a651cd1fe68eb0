// Layout at a desktop and a phone size: on every main screen no two visible interactive
// elements overlap and nothing runs off the side of the viewport or out of the box that
// holds it (measured with getBoundingClientRect; only a deliberate sideways scroller,
// `.scroll-x`, may hold what does not fit). Screens are opened by their URLs, which also
// proves the deep links.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, SHOTS, TENANT, launch, signIn } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SIZES = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

// Each screen: its path and an element that is there once its data came.
const SCREENS = [
  ["/subscribers", "#accounts-table tbody tr"],
  ["/legal-entities", "#new-legal-entity"],
  ["/meters", "#meters-table"],
  ["/billing", "#periods tbody tr"],
  ["/reference-books", "#book-form"],
  ["/payment-import", "#payment-files-section"],
  ["/payments", "#payment-form"],
  ["/payments/batches", "#payments-tab-batches.active"],
  ["/administration/users", "#users-table"],
  ["/administration/roles", "#role-matrix"],
  ["/administration/audit", "#audit-table"],
  ["/settings/requisites", "#invoice-settings"],
  ["/settings/mail", "#mail-settings"],
  ["/settings/reminders", "#reminders"],
  ["/settings/calculation", "#set-due-day"],
  ["/settings/payments", "#payment-settings"],
  ["/settings/security", "#security-settings"],
];

/** The layout defects of the page as it stands: overlaps and overflows, as text. */
function defects() {
  const vw = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > vw + 1) {
    out.push(`page is ${document.documentElement.scrollWidth}px wide in a ${vw}px viewport`);
  }
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} "${(el.textContent || el.value || "").trim().slice(0, 24)}"`;
  // The part of an element that can be seen: its box cut by every scrolling or clipping
  // ancestor (a table in a horizontal scroller is reachable, not overflowing).
  const visibleRect = (el) => {
    let r = el.getBoundingClientRect();
    let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      // Only a deliberate sideways scroller (`.scroll-x`) may hold what does not fit; any
      // other clipping hides controls.
      if (p.classList.contains("scroll-x") && (s.overflowX !== "visible" || s.overflowY !== "visible")) {
        const q = p.getBoundingClientRect();
        box = { left: Math.max(box.left, q.left), top: Math.max(box.top, q.top), right: Math.min(box.right, q.right), bottom: Math.min(box.bottom, q.bottom) };
      }
    }
    return box;
  };
  const shown = (el) => {
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none" || Number(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const items = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])")]
    .filter(shown)
    .map((el) => {
      const raw = el.getBoundingClientRect();
      return { el, raw, box: visibleRect(el) };
    })
    .filter((x) => x.box.right - x.box.left > 1 && x.box.bottom - x.box.top > 1);
  // The boxes that cut their content off (overflow other than visible), `.scroll-x` aside.
  const clippers = [...document.querySelectorAll("body *")].filter((p) => {
    if (p.classList.contains("scroll-x")) return false;
    const s = getComputedStyle(p);
    return s.overflowX !== "visible" && p.scrollWidth > p.clientWidth + 1;
  });
  for (const c of clippers) {
    const hidden = items.filter(({ el }) => c.contains(el)).find(({ box }) => box.right > c.getBoundingClientRect().right + 1);
    if (hidden) out.push(`${name(c)} cuts off ${name(hidden.el)} (content ${c.scrollWidth}px in ${c.clientWidth}px)`);
  }
  for (const { el, raw, box } of items) {
    // Off the side: the element's own box leaves the viewport where no scroller holds it.
    if (box.right > vw + 1 || box.left < -1) out.push(`${name(el)} runs off the viewport (${Math.round(box.left)}–${Math.round(box.right)} of ${vw})`);
    else if ((raw.right > vw + 1 || raw.left < -1) && box.right - box.left < 4) out.push(`${name(el)} is cut off`);
  }
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > 2 && h > 2) out.push(`${name(a.el)} overlaps ${name(b.el)} by ${Math.round(w)}×${Math.round(h)}`);
    }
  }
  return [...new Set(out)];
}

for (const size of SIZES) {
  test(`no overlaps and no overflow on the main screens at ${size.name} size`, async () => {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page, `${TENANT}.admin`);
    await page.waitForSelector("#accounts-table tbody tr", { timeout: 30000 });
    const found = [];
    const screens = [...SCREENS];
    // The account card over the list.
    await page.click('#accounts-table tr[data-number="100001"]');
    await page.waitForSelector("#card-title");
    screens.push([new URL(page.url()).pathname, "#card-title"]);
    for (const [path, ready] of screens) {
      await page.goto(`${BASE}${path}`);
      await page.waitForSelector(ready, { timeout: 30000 });
      // Let late panels (charts, pickers) settle.
      await page.waitForLoadState("networkidle");
      for (const d of await page.evaluate(defects)) found.push(`${path}: ${d}`);
      await page.screenshot({ path: `${SHOTS}layout-${size.name}${path.replaceAll("/", "-")}.png`, fullPage: true });
    }
    assert.deepEqual(found, [], found.join("\n"));
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the subscriber's portal fits a phone", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(page, `${TENANT}.subscriber`);
  await page.waitForSelector("#portal-balance", { timeout: 30000 });
  await page.waitForLoadState("networkidle");
  const found = await page.evaluate(defects);
  await page.screenshot({ path: `${SHOTS}layout-phone-portal.png`, fullPage: true });
  assert.deepEqual(found, [], found.join("\n"));
  await page.close();
});
