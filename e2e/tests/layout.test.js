// Layout at a desktop and a phone size: on every main screen no two visible interactive
// elements overlap and nothing runs off the side of the viewport or out of the box that
// holds it (measured with getBoundingClientRect; only a deliberate sideways scroller,
// `.scroll-x`, may hold what does not fit), and every text is readable against what lies
// under it (WCAG AA contrast). Screens are opened by their URLs, which also proves the deep
// links.
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
  ["/settings/numbering", "#num-length"],
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

/**
 * Text too close in colour to what lies under it, as WCAG 2.1 AA measures it: at least
 * 4.5:1, or 3:1 for large text (24px, or 18.66px bold). The background is every box's
 * colour from the page down to the text, laid over each other; faded boxes (opacity) fade
 * their text too. Disabled controls are exempt, as WCAG exempts them; charts draw their own.
 */
function lowContrast() {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (x, y) => { const [a, b] = [luminance(x), luminance(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : ""}`;
  const out = new Map();
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!own || el.closest("svg, :disabled, [aria-disabled='true']")) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (s.visibility === "hidden" || r.width === 0 || r.height === 0) continue;
    const chain = [];
    for (let p = el; p; p = p.parentElement) chain.unshift(p);
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    let opacity = 1;
    for (const p of chain) {
      const ps = getComputedStyle(p);
      opacity *= Number(ps.opacity);
      const c = parse(ps.backgroundColor);
      if (c && c.a > 0) bg = over(c, bg);
    }
    const color = parse(s.color);
    if (!color || opacity === 0) continue;
    const text = over({ ...color, a: color.a * opacity }, bg);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const got = ratio(text, bg);
    if (got < (large ? 3 : 4.5)) {
      const key = name(el);
      if (!out.has(key)) out.set(key, `${key} "${el.textContent.trim().slice(0, 24)}" has contrast ${got.toFixed(2)}:1 (${s.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)}))`);
    }
  }
  return [...out.values()];
}

for (const size of SIZES) {
  test(`no overlaps, no overflow and readable contrast on the main screens at ${size.name} size`, async () => {
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
      for (const d of await page.evaluate(lowContrast)) found.push(`${path}: ${d}`);
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
  const found = [...await page.evaluate(defects), ...await page.evaluate(lowContrast)];
  await page.screenshot({ path: `${SHOTS}layout-phone-portal.png`, fullPage: true });
  assert.deepEqual(found, [], found.join("\n"));
  await page.close();
});
