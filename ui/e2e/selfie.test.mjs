// The selfie by LUNA PASS in the real webview: the emulator serves a double of the vendor's
// library and signs its verdicts with its own RS256 key. The local liveness check's path runs in
// identification.test.mjs.
//
// With `--webview-mock-camera`, WebKit's test camera stands in for a webcam: the library films
// it, and its dark picture is refused as too dark, as a dim room would be. WebKit grants its
// test camera without asking, so the app's permission handler is not reached here (its
// decision is unit-tested in Rust). Without a camera, the double films a drawn face.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  byTestId,
  click,
  everythingTheWebviewSaw,
  onScreen,
  openApp,
  screenshots,
  stopDriver,
  TOKEN_PATTERN,
} from "./driver.mjs";
import { accept, chooseOld, openDemoLink, photograph } from "./flows.mjs";

after(stopDriver);

/** Whether this page may load `src` as a script (its content security policy decides). */
function scriptLoads(browser, src) {
  return browser.executeAsync((url, done) => {
    const script = document.createElement("script");
    script.src = `${url}?probe=${Date.now()}`;
    script.onload = () => done("loaded");
    script.onerror = () => done("refused");
    document.head.appendChild(script);
  }, src);
}

/** What the app answers this page when it calls `command` directly, as any script in it could. */
function callFromPage(browser, command, args = {}) {
  return browser.executeAsync((name, body, done) => {
    window.__TAURI_INTERNALS__
      .invoke(name, body)
      .then((answer) => done({ answer }))
      .catch((error) => done({ refused: error.code ?? String(error) }));
  }, command, args);
}

/** Both passport pages, then the LUNA PASS page with its library ready; returns the
 * library's address and where its picture comes from. */
async function reachLunaPass(browser) {
  await openDemoLink(browser);
  await chooseOld(browser);
  await photograph(browser);
  await accept(browser);
  await photograph(browser);
  await accept(browser);
  // The app lets go of its camera, then the LUNA PASS page opens and the library starts.
  await onScreen(browser, "lunaPass", 30000);
  assert.match(await browser.getUrl(), /\/luna-pass\.html\?lang=en$/);
  const check = await byTestId(browser, "luna-pass-check", 30000);
  await check.waitForClickable({ timeout: 30000 });
  const library = await browser.execute(() => document.querySelector('script[src*="luna-pass.js"]')?.src ?? "");
  assert.match(library, /^http:\/\/127\.0\.0\.1:\d+\/luna-pass\/luna-pass\.js$/);
  const source = await (await byTestId(browser, "luna-pass-host")).getAttribute("data-source");
  return { library, source };
}

async function withApp(args, body) {
  const browser = await openApp(["--liveness", "luna-pass", ...args]);
  try {
    await body(browser);
    const seen = await everythingTheWebviewSaw(browser);
    assert.doesNotMatch(seen, TOKEN_PATTERN, "the access token never reached the webview");
  } finally {
    await browser.deleteSession();
  }
}

describe("the selfie by LUNA PASS", { timeout: 300000 }, () => {
  it("gives the library the webview's camera and shows its refusal in the person's words", async () => {
    await withApp(["--webview-mock-camera"], async (browser) => {
      const { library, source } = await reachLunaPass(browser);
      assert.equal(source, "camera", "the library was given the webview's camera");
      // The vendor's script shares this page: the app tells it no link and refuses what the
      // liveness check does not need.
      assert.equal((await callFromPage(browser, "app_info")).answer.link, null);
      const opened = await callFromPage(browser, "open_link", { text: "05a4ce19-de3c-4d2c-a464-7356dbdbd107" });
      assert.deepEqual(opened, { refused: "not-from-luna-pass" });
      assert.deepEqual(await callFromPage(browser, "reset"), { refused: "not-from-luna-pass" });
      await screenshots(browser, "08-luna-pass");
      await click(browser, "luna-pass-check");
      const reasons = await byTestId(browser, "luna-pass-reasons", 30000);
      assert.match(await reasons.getText(), /too dark/);
      await screenshots(browser, "09-luna-pass-refused");

      // Cancelled: back on the wizard's page, whose policy refuses the library's origin.
      await click(browser, "luna-pass-cancel");
      await onScreen(browser, "start", 30000);
      assert.match(await browser.getUrl(), /\/index\.html\?lang=en$/);
      assert.equal(await scriptLoads(browser, library), "refused");
      assert.match((await callFromPage(browser, "app_info")).answer.link, /^05a4ce19/);
    });
  });

  it("passes on a retry after a refusal, and the bank accepts the token", async () => {
    await withApp([], async (browser) => {
      const { source } = await reachLunaPass(browser);
      assert.equal(source, "synthetic", "without a camera the double films a drawn face");

      await browser.$('[data-testid="demo-panel"] summary').click();
      await click(browser, "demo-failNextLivenessCheck");
      await click(browser, "luna-pass-check");
      const reasons = await byTestId(browser, "luna-pass-reasons", 30000);
      assert.match(await reasons.getText(), /not in the middle/);

      await click(browser, "luna-pass-check");
      await onScreen(browser, "accepted", 60000);
      assert.match(await browser.getUrl(), /\/index\.html\?lang=en$/);
      await click(browser, "continue");
      await onScreen(browser, "done");
    });
  });
});
