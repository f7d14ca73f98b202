// Small screens in the real webview: at 1366×680 (a 1366×768 laptop less its taskbar) and at
// 1024×600 (and at 1280×800 for reference), each screen's main action (its first primary
// button) is fully in the window without scrolling and not covered by anything (the demo
// controls), and nothing scrolls sideways, in every language. Screenshots (English) of the two
// small sizes go to docs/screenshots/small/<size>/.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { accessible, byTestId, click, LANGUAGES, onScreen, ROOT, SCREENSHOTS, stopDriver, withApp } from "./driver.mjs";
import { accept, openDemoLink, photograph } from "./flows.mjs";

after(stopDriver);

/** The two small windows, photographed, and the common 1280×800 for reference. */
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1366, height: 680, shot: true },
  { width: 1024, height: 600, shot: true },
];
const SMALL_SCREENSHOTS = resolve(SCREENSHOTS, "small");
/** Where each run's measurements go, for the figures in docs/ACCESSIBILITY.md. */
const RECORD = process.env.HUMO_IDENT_AXE_RECORD ?? resolve(ROOT, "target/e2e-accessibility");

/** Resizes the window until its page is `width`×`height` CSS pixels: a window manager's
 * decoration, if any, is added to the outer size. */
async function resize(browser, { width, height }) {
  let outer = { width, height };
  for (let attempt = 0; attempt < 3; attempt++) {
    await browser.setWindowSize(outer.width, outer.height);
    const inner = await browser
      .waitUntil(
        async () => {
          const [w, h] = await browser.execute(() => [window.innerWidth, window.innerHeight]);
          return w === width && h === height ? [w, h] : false;
        },
        { timeout: 3000, interval: 100 },
      )
      .catch(() => null);
    if (inner) return;
    const [w, h] = await browser.execute(() => [window.innerWidth, window.innerHeight]);
    outer = { width: outer.width + (width - w), height: outer.height + (height - h) };
  }
  const got = await browser.execute(() => [window.innerWidth, window.innerHeight]);
  assert.fail(`the page could not be made ${width}×${height}: it is ${got.join("×")}`);
}

/** Where the page's main action is in each language (its switch pressed in the page, ending
 * in English), with the page scrolled to its top. */
function measureEachLanguage(browser) {
  return browser.executeAsync(async (languages, done) => {
    const painted = () => new Promise((r) => {
      requestAnimationFrame(() => requestAnimationFrame(() => r()));
      setTimeout(r, 200);
    });
    const measurements = [];
    for (const language of languages) {
      document.querySelector(`[data-testid="language-${language}"]`).click();
      await painted();
      window.scrollTo(0, 0);
      const root = document.documentElement;
      const action = document.querySelector("main button.primary");
      const box = action?.getBoundingClientRect();
      const atCentre = box && document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      measurements.push({
        screen: document.querySelector(".app")?.getAttribute("data-screen"),
        language: root.lang,
        innerWidth: window.innerWidth,
        innerHeight: window.innerHeight,
        scrollWidth: root.scrollWidth,
        clientWidth: root.clientWidth,
        action: action && {
          text: action.textContent.trim(),
          top: Math.round(box.top),
          bottom: Math.round(box.bottom),
          left: Math.round(box.left),
          right: Math.round(box.right),
          // Off the page, there is nothing at its centre: that is reported as out of view.
          covered: atCentre !== null && !action.contains(atCentre),
        },
      });
    }
    done(measurements);
  }, LANGUAGES);
}

/** What is wrong with one measurement under the rules, if anything. */
function problems(m) {
  const found = [];
  if (!m.action) found.push("no primary button");
  else {
    if (m.action.bottom > m.innerHeight) found.push(`"${m.action.text}" ends at ${m.action.bottom} px, below ${m.innerHeight}`);
    if (m.action.right > m.innerWidth) found.push(`"${m.action.text}" ends at ${m.action.right} px, right of ${m.innerWidth}`);
    if (m.action.top < 0 || m.action.left < 0) found.push(`"${m.action.text}" starts outside the page`);
    if (m.action.covered) found.push(`"${m.action.text}" is covered by another element`);
  }
  if (m.scrollWidth > m.clientWidth) found.push(`the page scrolls sideways (${m.scrollWidth} > ${m.clientWidth})`);
  return found;
}

/** Measures the screen shown at each size, in every language, into `run`, with a screenshot
 * (English) at the small sizes; the walk goes on at the last size. */
async function checkScreen(browser, name, run) {
  for (const size of SIZES) {
    await resize(browser, size);
    for (const m of await measureEachLanguage(browser)) {
      run.measurements.push({ name, size: `${size.width}x${size.height}`, ...m });
      for (const problem of problems(m)) run.failures.push(`${name} at ${size.width}×${size.height} in ${m.language}: ${problem}`);
    }
    if (size.shot && !process.env.HUMO_IDENT_NO_SCREENSHOTS) {
      const folder = resolve(SMALL_SCREENSHOTS, `${size.width}x${size.height}`);
      mkdirSync(folder, { recursive: true });
      await browser.saveScreenshot(resolve(folder, `${name}-en.png`));
    }
  }
}

/** Writes the run's measurements and prints each screen's lowest main action per size. */
function report(run, file) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(run.measurements, null, 1)}\n`);
  const worst = new Map();
  for (const m of run.measurements) {
    const key = `${m.name} ${m.size}`;
    if (!worst.has(key) || (m.action?.bottom ?? Infinity) > (worst.get(key).action?.bottom ?? -1)) worst.set(key, m);
  }
  for (const [key, m] of worst) {
    console.log(`# ${key}: main action "${m.action?.text}" bottom ${m.action?.bottom} of ${m.innerHeight} (${m.language}), page ${m.scrollWidth}/${m.clientWidth} wide`);
  }
}

describe("small screens", { timeout: 300000 }, () => {
  it("keeps each screen's main action in view at 1366×680 and 1024×600 (and 1280×800)", async () => {
    const run = { measurements: [], failures: [] };
    const check = (browser, name) => checkScreen(browser, name, run);
    try {
      await withApp([], async (browser) => {
        await onScreen(browser, "start");
        await check(browser, "01-start");
        await openDemoLink(browser);
        await click(browser, "document-new");
        await click(browser, "tin-missing");
        await (await byTestId(browser, "tin-input")).setValue("020025789");
        await check(browser, "02-document");
        await click(browser, "document-continue");
        await photograph(browser, { visit: (what) => check(browser, `03-front-${what}`) });
        await accept(browser, { visit: (what) => check(browser, `04-front-${what}`) });
        // Auto-capture stays off once turned off: the back side is taken by hand too.
        await photograph(browser, { manual: true });
        await accept(browser);
        await photograph(browser, { visit: (what) => check(browser, `05-selfie-${what}`) });
        await accept(browser, { visit: (what) => check(browser, `06-selfie-${what}`) });
        await onScreen(browser, "done");
        await check(browser, "07-done");
      });
    } finally {
      report(run, resolve(RECORD, "small-screens.json"));
    }
    assert.deepEqual(run.failures, [], "every main action in view, nothing scrolling sideways");
  });

  // A kiosk's larger text and targets, on the same small windows; its screens are checked by
  // axe-core here too (its start screen is in faults.test.mjs).
  it("keeps a kiosk's main actions in view too", async (t) => {
    const run = { measurements: [], failures: [] };
    const dir = mkdtempSync(join(tmpdir(), "humo-ident-kiosk-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, "config.toml");
    writeFileSync(config, "[kiosk]\nidle-reset-secs = 600\n");
    try {
      await withApp(["--demo", "--kiosk", "--config", config], async (browser) => {
        await onScreen(browser, "start");
        await checkScreen(browser, "kiosk-01-start", run);
        await openDemoLink(browser);
        await click(browser, "document-new");
        await click(browser, "tin-missing");
        await (await byTestId(browser, "tin-input")).setValue("020025789");
        await checkScreen(browser, "kiosk-02-document", run);
        await accessible(browser, "kiosk-02-document");
        await click(browser, "document-continue");
        await photograph(browser, {
          visit: async (what) => {
            await checkScreen(browser, `kiosk-03-front-${what}`, run);
            await accessible(browser, `kiosk-03-front-${what}`);
          },
        });
        await onScreen(browser, "accepted", 40000);
        await checkScreen(browser, "kiosk-04-front-accepted", run);
        await accessible(browser, "kiosk-04-front-accepted");
      });
    } finally {
      report(run, resolve(RECORD, "small-screens-kiosk.json"));
    }
    assert.deepEqual(run.failures, [], "every main action in view at a kiosk, nothing scrolling sideways");
  });
});
