// Steps shared by the scenarios.

import assert from "node:assert/strict";
import { byTestId, click, onScreen, screenshots } from "./driver.mjs";

export async function openDemoLink(browser, { shoot = false } = {}) {
  await onScreen(browser, "start");
  if (shoot) await screenshots(browser, "01-start");
  await click(browser, "open-link");
  await onScreen(browser, "document");
}

export async function chooseNewWithTaxNumber(browser, { shoot = false } = {}) {
  await click(browser, "document-new");
  await click(browser, "tin-missing");
  const tin = await byTestId(browser, "tin-input");
  await tin.setValue("02002578");
  assert.match(await (await byTestId(browser, "tin-help")).getText(), /8/);
  await tin.addValue("9");
  if (shoot) await screenshots(browser, "02-document");
  await click(browser, "document-continue");
}

export async function chooseOld(browser) {
  await click(browser, "document-old");
  await click(browser, "document-continue");
}

/** Waits for the auto-capture, uses the still, waits for the bank's answer. */
export async function photograph(browser, { shoot = null } = {}) {
  await onScreen(browser, "camera");
  if (shoot) {
    await byTestId(browser, "preview");
    await browser.waitUntil(async () => (await (await byTestId(browser, "preview")).getAttribute("data-has-frame")) === "true", {
      timeout: 20000,
      timeoutMsg: "no preview frame was drawn",
    });
    await screenshots(browser, `${shoot}-camera`);
  }
  await onScreen(browser, "review", 40000);
  if (shoot) await screenshots(browser, `${shoot}-review`);
  await click(browser, "use-photo");
}

export async function accept(browser, { shoot = null } = {}) {
  await onScreen(browser, "accepted", 40000);
  if (shoot) await screenshots(browser, `${shoot}-accepted`);
  await click(browser, "continue");
}
