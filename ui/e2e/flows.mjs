// Steps shared by the scenarios.

import assert from "node:assert/strict";
import { byTestId, click, onScreen, screenshots } from "./driver.mjs";

export async function openDemoLink(browser, { shoot = false } = {}) {
  await onScreen(browser, "start");
  if (shoot) await screenshots(browser, "01-start");
  await click(browser, "open-link");
  await onScreen(browser, "documentChoice");
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

/**
 * Takes the step's photo and uses it. By default the picture is taken by itself; with `shoot`,
 * auto-capture is turned off first (within the camera's one-second warm-up), the live camera is
 * photographed, and the shutter is pressed by hand; `manual` does the same without screenshots.
 * `visit`, if given, is called with "camera" and "review" once each is fully shown (the shutter
 * is then pressed by hand too).
 */
export async function photograph(browser, { shoot = null, manual = false, visit = null } = {}) {
  await onScreen(browser, "cameraStep");
  if (shoot || manual || visit) {
    const auto = await byTestId(browser, "auto-capture");
    if (await auto.isSelected()) await auto.click();
    await browser.waitUntil(async () => (await (await byTestId(browser, "preview")).getAttribute("data-has-frame")) === "true", {
      timeout: 20000,
      timeoutMsg: "no preview frame was drawn",
    });
    await browser.waitUntil(async () => /Good/.test(await (await byTestId(browser, "hints")).getText()), {
      timeout: 20000,
      timeoutMsg: "the checks never passed",
    });
    if (shoot) await screenshots(browser, `${shoot}-camera`);
    if (visit) await visit("camera");
    await click(browser, "take-photo");
    await onScreen(browser, "review", 20000);
    const auto2 = await browser.$('[data-testid="auto-capture"]');
    assert.ok(!(await auto2.isExisting()), "the camera is released while the still is reviewed");
  }
  await onScreen(browser, "review", 40000);
  if (shoot || visit) {
    await browser.waitUntil(async () => browser.execute(() => {
      const still = document.querySelector('[data-testid="still"]');
      return still instanceof HTMLImageElement && still.complete && still.naturalWidth > 0;
    }), { timeout: 10000, timeoutMsg: "the still under review was not shown" });
    if (shoot) await screenshots(browser, `${shoot}-review`);
    if (visit) await visit("review");
  }
  await click(browser, "use-photo");
}

export async function accept(browser, { shoot = null, visit = null } = {}) {
  await onScreen(browser, "accepted", 40000);
  if (shoot) await screenshots(browser, `${shoot}-accepted`);
  if (visit) await visit("accepted");
  await click(browser, "continue");
}
