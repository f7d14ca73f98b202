// The whole identification with the new passport by keyboard alone, in the real webview: Tab,
// Shift-Tab, Enter, Space and typing, never a click. After each screen change the focus is on
// the new screen's heading, and each control is reached by Tab from there.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { Key } from "webdriverio";
import { byTestId, onScreen, stopDriver, withApp } from "./driver.mjs";

after(stopDriver);

const DEMO_KEY = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";

/** What has the keyboard focus: enough to tell the controls apart. */
function focused(browser) {
  return browser.execute(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? null,
      testId: element?.getAttribute("data-testid") ?? null,
      type: element?.getAttribute("type") ?? null,
      value: element instanceof HTMLInputElement ? element.value : null,
      text: element?.textContent?.trim().slice(0, 80) ?? "",
    };
  });
}

/** Waits until the focus is on what `expected` describes (each of its keys matches). */
async function expectFocus(browser, expected, what) {
  let last;
  await browser
    .waitUntil(
      async () => {
        last = await focused(browser);
        return Object.entries(expected).every(([key, value]) =>
          value instanceof RegExp ? value.test(String(last[key])) : last[key] === value,
        );
      },
      { timeout: 10000, interval: 100 },
    )
    .catch(() => assert.fail(`the focus is not on ${what}: it is on ${JSON.stringify(last)}`));
}

const tab = (browser) => browser.keys(Key.Tab);
/** Types `text` a key at a time: each key goes down and up before the next (`keys` with a
 * string presses them all before releasing any, which drops a repeated character). */
async function type(browser, text) {
  const keys = browser.action("key");
  for (const character of text) keys.down(character).up(character);
  await keys.perform();
}
const shiftTab = (browser) => browser.action("key").down(Key.Shift).down(Key.Tab).up(Key.Tab).up(Key.Shift).perform();

/** A new screen: it is shown, and its heading has the focus. */
async function arrive(browser, screen, timeout = 40000) {
  await onScreen(browser, screen, timeout);
  await expectFocus(browser, { tag: "h1" }, `the heading of "${screen}"`);
}

/** One camera step by keyboard: Tab to the auto-capture box (Space turns it off on the first
 * step, so the shutter waits for the key), Tab to the shutter and press it with `shutter`,
 * then Tab to "Use this photo" on the review and press Enter. */
async function photographByKeyboard(browser, { shutter }) {
  await arrive(browser, "cameraStep");
  await tab(browser);
  await expectFocus(browser, { testId: "auto-capture" }, "the auto-capture box");
  const auto = await byTestId(browser, "auto-capture");
  if (await auto.isSelected()) {
    await browser.keys(Key.Space);
    await browser.waitUntil(async () => !(await auto.isSelected()), {
      timeout: 10000,
      timeoutMsg: "Space did not turn auto-capture off",
    });
  }
  await tab(browser);
  await expectFocus(browser, { testId: "take-photo" }, "the shutter");
  // As a person would, the shutter is pressed once the picture is good.
  await browser.waitUntil(async () => /Good/.test(await (await byTestId(browser, "hints")).getText()), {
    timeout: 20000,
    timeoutMsg: "the checks never passed",
  });
  await browser.keys(shutter);
  await arrive(browser, "review", 20000);
  await tab(browser);
  await expectFocus(browser, { testId: "use-photo" }, "“Use this photo”");
  await browser.keys(Key.Enter);
}

/** The accepted step by keyboard: Tab to Continue, Enter. */
async function continueByKeyboard(browser) {
  await arrive(browser, "accepted");
  await tab(browser);
  await expectFocus(browser, { testId: "continue" }, "Continue");
  await browser.keys(Key.Enter);
}

describe("keyboard only", { timeout: 300000 }, () => {
  it("goes through with the new passport and a typed taxpayer number, never clicking", async () => {
    await withApp([], async (browser) => {
      // Start: the heading, then the link's field, typed anew; Shift-Tab goes back from the
      // button to the field, and up to the language switch before the heading.
      await arrive(browser, "start");
      await shiftTab(browser);
      await expectFocus(browser, { testId: "language-en" }, "the language switch (English)");
      await tab(browser);
      await expectFocus(browser, { testId: "link-input" }, "the link's field");
      await browser.keys([Key.Ctrl, "a"]);
      await browser.keys(Key.Backspace);
      await expectFocus(browser, { testId: "link-input", value: "" }, "the emptied link's field");
      await type(browser, DEMO_KEY);
      await expectFocus(browser, { testId: "link-input", value: DEMO_KEY }, "the typed link");
      await tab(browser);
      await expectFocus(browser, { testId: "open-link" }, "Open");
      await shiftTab(browser);
      await expectFocus(browser, { testId: "link-input" }, "the link's field, by Shift-Tab");
      await tab(browser);
      await expectFocus(browser, { testId: "open-link" }, "Open");
      await browser.keys(Key.Enter);

      // The document: the first choice by Tab and Space, the "not on the document" box by Tab
      // and Space, the number typed, then Continue by Enter.
      await arrive(browser, "documentChoice");
      await tab(browser);
      await expectFocus(browser, { tag: "input", type: "radio", value: "new" }, "the new passport's choice");
      await browser.keys(Key.Space);
      await browser.waitUntil(async () => (await (await byTestId(browser, "document-new")).getAttribute("class")).includes("chosen"), {
        timeout: 10000,
        timeoutMsg: "Space did not choose the new passport",
      });
      await tab(browser);
      await expectFocus(browser, { testId: "tin-missing" }, "the “not on the document” box");
      await browser.keys(Key.Space);
      await byTestId(browser, "tin-input");
      await tab(browser);
      await expectFocus(browser, { testId: "tin-input" }, "the taxpayer number's field");
      await type(browser, "02002578");
      await expectFocus(browser, { testId: "tin-input", value: "02002578" }, "eight typed digits");
      assert.match(await (await byTestId(browser, "tin-help")).getText(), /8/);
      await type(browser, "9");
      await expectFocus(browser, { testId: "tin-input", value: "020025789" }, "the typed taxpayer number");
      await tab(browser);
      await expectFocus(browser, { testId: "document-continue" }, "Continue");
      await shiftTab(browser);
      await expectFocus(browser, { testId: "tin-input" }, "the taxpayer number's field, by Shift-Tab");
      await tab(browser);
      await browser.keys(Key.Enter);

      // Front (shutter by Enter), back (by Space), each accepted; the number was kept.
      await photographByKeyboard(browser, { shutter: Key.Enter });
      await continueByKeyboard(browser);
      await photographByKeyboard(browser, { shutter: Key.Space });
      await arrive(browser, "accepted");
      assert.match(await (await browser.$('[data-key="tax_number"]')).getText(), /020025789/);
      await tab(browser);
      await expectFocus(browser, { testId: "continue" }, "Continue");
      await browser.keys(Key.Enter);

      // The selfie, then the result: the bank's page is reached by Tab (not opened), and a new
      // identification starts by Enter.
      await photographByKeyboard(browser, { shutter: Key.Enter });
      await continueByKeyboard(browser);
      await arrive(browser, "done");
      await tab(browser);
      await expectFocus(browser, { testId: "home-page" }, "the bank's page");
      await tab(browser);
      await expectFocus(browser, { testId: "new-identification" }, "“New identification”");
      await browser.keys(Key.Enter);
      await arrive(browser, "start");
    });
  });
});
