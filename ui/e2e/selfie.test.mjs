// The selfie by LUNA PASS in the real webviews: the emulator serves a double of the vendor's
// library and signs its verdicts with its own RS256 key. The library runs in the LUNA PASS
// webview (label `luna-pass`), never in the wizard's. The local liveness check's path runs
// in identification.test.mjs.
//
// With `--webview-mock-camera`, WebKit's test camera stands in for a webcam: the library films
// it, and its dark picture is refused as too dark, as a dim room would be. WebKit grants its
// test camera without asking, so the app's permission handler is not reached here (its
// decision is unit-tested in Rust). Without a camera, the double films a drawn face.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  accessible,
  byTestId,
  click,
  everythingTheWebviewSaw,
  onScreen,
  withApp,
  screenshots,
  stopDriver,
  TOKEN_PATTERN,
} from "./driver.mjs";
import { chooseOld, openDemoLink, photograph } from "./flows.mjs";

after(stopDriver);

const KEY = /05a4ce19-de3c-4d2c-a464-7356dbdbd107/;

/** Every command of the app's own, as `src-tauri/src/lib.rs` lists them. */
const COMMANDS = [
  "app_info",
  "subscribe",
  "open_link",
  "choose_document",
  "scan_code",
  "take_photo",
  "set_auto_capture",
  "use_photo",
  "retake",
  "use_photo_file",
  "show_luna_pass",
  "luna_pass_feed",
  "luna_pass_result",
  "cameras",
  "choose_camera",
  "retry",
  "continue_flow",
  "back",
  "cancel",
  "reset",
  "activity",
  "open_home_page",
  "demo_fault",
];
/** What the LUNA PASS webview may call. `cancel` is left out of the hostile run: it would end
 * the check. */
const LUNA_PASS_COMMANDS = ["luna_pass_feed", "luna_pass_result", "activity"];
/** Plugin commands a script might try: none is granted to any webview. */
const PLUGIN_COMMANDS = [
  ["plugin:opener|open_url", { url: "https://evil.example/" }],
  ["plugin:webview|create_webview_window", { options: { label: "evil", url: "https://evil.example/" } }],
  ["plugin:window|close", {}],
  ["plugin:event|listen", { event: "x", target: { kind: "Any" }, handler: 1 }],
];

/** Whether this page may load `src` as a script (its content security policy decides). */
function scriptLoads(browser, src) {
  return browser.executeAsync((url, done) => {
    const script = document.createElement("script");
    script.src = `${url}?probe=${Date.now()}`;
    const answer = (what) => {
      script.remove();
      done(what);
    };
    script.onload = () => answer("loaded");
    script.onerror = () => answer("refused");
    document.head.appendChild(script);
  }, src);
}

/** What the app answers this page when it calls `command` directly, as any script in it could. */
function callFromPage(browser, command, args = {}) {
  return browser.executeAsync((name, body, done) => {
    window.__TAURI_INTERNALS__
      .invoke(name, body)
      .then((answer) => done({ answer: answer ?? null }))
      .catch((error) => done({ refused: error?.code ?? String(error) }));
  }, command, args);
}

/** A call refused because of who called it: by the webview's capability (Tauri's ACL, which
 * answers first) or by the shell's own check of the caller's label; not some other failure
 * such as bad arguments, which would prove nothing. */
function assertRefusedForThisWebview(command, answer) {
  assert.ok("refused" in answer, `${command} was not refused: ${JSON.stringify(answer)}`);
  assert.match(String(answer.refused), /not allowed|not-from-luna-pass/, `${command}: ${answer.refused}`);
}

/** Switches to the LUNA PASS webview once it is open; returns the wizard's handle. */
async function toLunaPassWebview(browser) {
  const wizard = await browser.getWindowHandle();
  await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 2, {
    timeout: 30000,
    timeoutMsg: "the LUNA PASS webview's window did not open",
  });
  const lunaPassWindow = (await browser.getWindowHandles()).find((handle) => handle !== wizard);
  await browser.switchToWindow(lunaPassWindow);
  return wizard;
}

/** Presses a button that ends the liveness check, and the LUNA PASS webview closes. The press is
 * dispatched after the script returns: a WebDriver click that is still waiting for its answer
 * when the window goes fails with "no such window". */
async function pressAndLetClose(browser, id) {
  await byTestId(browser, id);
  await browser.execute((testId) => {
    setTimeout(() => document.querySelector(`[data-testid="${testId}"]`).click(), 0);
  }, id);
}

/** Back to the wizard once the LUNA PASS webview has closed. */
async function toWizardAfterClose(browser, wizard) {
  await browser.waitUntil(async () => (await browser.getWindowHandles()).length === 1, {
    timeout: 30000,
    timeoutMsg: "the LUNA PASS webview's window did not close",
  });
  await browser.switchToWindow(wizard);
}

/** Both passport pages (their recognised fields gathered on the way), then the LUNA PASS
 * webview with its library ready. Returns the library's address, where its picture comes from,
 * the wizard's window handle and the fields' text. */
async function reachLunaPass(browser, { beforeSelfie = async () => {}, checkWizard = false } = {}) {
  await openDemoLink(browser);
  await chooseOld(browser);
  const fields = [];
  for (let page = 0; page < 2; page++) {
    await photograph(browser);
    await onScreen(browser, "accepted", 40000);
    fields.push(await (await byTestId(browser, "result")).getText());
    await click(browser, "continue");
  }
  await beforeSelfie();
  // The app lets go of its camera; the wizard opens the LUNA PASS webview.
  await onScreen(browser, "lunaPassWindow", 30000);
  assert.equal(await browser.execute(() => document.querySelector('script[src*="luna-pass.js"]')), null);
  // The window has opened in English already; the wizard's own screen is checked meanwhile.
  if (checkWizard) await accessible(browser, "08-luna-pass-wizard");
  const wizard = await toLunaPassWebview(browser);
  assert.match(await browser.getUrl(), /^luna-pass:\/\/localhost\/luna-pass\.html\?lang=en$/);
  const check = await byTestId(browser, "luna-pass-check", 30000);
  await check.waitForClickable({ timeout: 30000 });
  const library = await browser.execute(() => document.querySelector('script[src*="luna-pass.js"]')?.src ?? "");
  assert.match(library, /^http:\/\/127\.0\.0\.1:\d+\/luna-pass\/luna-pass\.js$/);
  const source = await (await byTestId(browser, "luna-pass-host")).getAttribute("data-source");
  return { library, source, wizard, fields };
}

/** What the shown window's page holds or was sent has no access token. */
async function noToken(browser) {
  assert.doesNotMatch(await everythingTheWebviewSaw(browser), TOKEN_PATTERN, "the access token never reached a webview");
}

/** The app with the LUNA PASS liveness check (see `withApp` in driver.mjs). */
function withLunaPassApp(args, body) {
  return withApp(["--liveness", "luna-pass", ...args], body, { afterwards: noToken });
}

describe("the selfie by LUNA PASS", { timeout: 300000 }, () => {
  it("gives the LUNA PASS webview the camera and shows its refusal in the person's words", async () => {
    await withLunaPassApp(["--webview-mock-camera"], async (browser) => {
      const { library, source, wizard } = await reachLunaPass(browser, { checkWizard: true });
      assert.equal(source, "camera", "the library was given the webview's camera");
      await screenshots(browser, "08-luna-pass");
      await click(browser, "luna-pass-check");
      const reasons = await byTestId(browser, "luna-pass-reasons", 30000);
      assert.match(await reasons.getText(), /too dark/);
      await screenshots(browser, "09-luna-pass-refused");
      await noToken(browser);
      await browser.execute(() => localStorage.setItem("vendor", "left behind"));

      // Cancelled: the window closes, and the wizard never had the library or its page.
      await pressAndLetClose(browser, "luna-pass-cancel");
      await toWizardAfterClose(browser, wizard);
      await onScreen(browser, "start", 30000);
      assert.equal(await scriptLoads(browser, library), "refused");
      const page = await browser.executeAsync((done) =>
        fetch("/luna-pass.html").then((r) => done(r.status), () => done("refused")),
      );
      assert.notEqual(page, 200, "the wizard's origin does not serve the LUNA PASS webview's page");
      assert.match((await callFromPage(browser, "app_info")).answer.link, KEY);

      // The next LUNA PASS webview starts with nothing the last one stored.
      await reachLunaPass(browser);
      assert.equal(await browser.execute(() => localStorage.getItem("vendor")), null);
      await pressAndLetClose(browser, "luna-pass-cancel");
      await toWizardAfterClose(browser, wizard);
    });
  });

  it("holds against a hostile script in the LUNA PASS webview, then passes on a retry", async () => {
    await withLunaPassApp([], async (browser) => {
      const { source, wizard, fields } = await reachLunaPass(browser, {
        beforeSelfie: async () => {
          await browser.$('[data-testid="demo-panel"] summary').click();
          await click(browser, "demo-failNextLivenessCheck");
        },
      });
      assert.equal(source, "synthetic", "without a camera the double films a drawn face");

      // The vendor's script rewrites the page's address to the wizard's: the app decides by
      // the webview's label, which no script can change.
      await browser.execute(() => history.replaceState(null, "", "/index.html"));
      assert.match(await browser.getUrl(), /\/index\.html$/);
      for (const command of COMMANDS.filter((c) => !LUNA_PASS_COMMANDS.includes(c) && c !== "cancel")) {
        const args = command === "subscribe" ? { channel: "__CHANNEL__:1" } : { text: "05a4ce19-de3c-4d2c-a464-7356dbdbd107" };
        assertRefusedForThisWebview(command, await callFromPage(browser, command, args));
      }
      for (const [command, args] of PLUGIN_COMMANDS) {
        assertRefusedForThisWebview(command, await callFromPage(browser, command, args));
      }
      // Its own commands still answer: activity goes through, a forged token is judged.
      assert.deepEqual(await callFromPage(browser, "activity"), { answer: null });
      assert.deepEqual(await callFromPage(browser, "luna_pass_result", { jwt: "forged" }), {
        refused: "invalid-selfie-token",
      });
      const preview = await browser.executeAsync((done) =>
        fetch("preview://localhost/frame?after=0").then(
          (r) => done(`status ${r.status}`),
          () => done("refused"),
        ),
      );
      assert.equal(preview, "refused", "the wizard's camera preview is out of the LUNA PASS webview's reach");

      // Neither the link nor any recognised field is anywhere in this webview.
      const seen = await everythingTheWebviewSaw(browser);
      assert.doesNotMatch(seen, KEY);
      for (const text of fields) {
        for (const value of text.split("\n").filter((line) => line.trim().length >= 4)) {
          assert.ok(!seen.includes(value), `the LUNA PASS webview holds a recognised field: ${value}`);
        }
      }

      // The real check goes on: refused once (the demo's switch), then passed.
      await browser.execute(() => history.replaceState(null, "", "/luna-pass.html?lang=en"));
      await click(browser, "luna-pass-check");
      const reasons = await byTestId(browser, "luna-pass-reasons", 30000);
      assert.match(await reasons.getText(), /not in the middle/);
      await pressAndLetClose(browser, "luna-pass-check");
      await toWizardAfterClose(browser, wizard);
      await onScreen(browser, "accepted", 60000);
      await click(browser, "continue");
      await onScreen(browser, "done");
    });
  });
});
