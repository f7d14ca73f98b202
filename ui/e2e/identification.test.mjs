// The whole identification in the real webview, in demo mode, with each passport.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { byTestId, click, onScreen, screenshots, stopDriver, withApp } from "./driver.mjs";
import { accept, chooseNewWithTaxNumber, chooseOld, openDemoLink, photograph } from "./flows.mjs";

after(stopDriver);

describe("identification in demo mode", { timeout: 300000 }, () => {
  it("goes through with the new passport and a typed taxpayer number", async () => {
    await withApp([], async (browser) => {
      assert.ok(await (await byTestId(browser, "demo-badge")).isDisplayed());
      await openDemoLink(browser, { shoot: true });
      await chooseNewWithTaxNumber(browser, { shoot: true });
      await photograph(browser, { shoot: "03-front" });
      await accept(browser, { shoot: "04-front" });
      await photograph(browser, { manual: true });
      await onScreen(browser, "accepted", 40000);
      const tax = await browser.$('[data-key="tax_number"]');
      assert.match(await tax.getText(), /020025789/);
      await click(browser, "continue");
      await photograph(browser, { shoot: "05-selfie" });
      await accept(browser, { shoot: "06-selfie" });
      await onScreen(browser, "done");
      await screenshots(browser, "07-done");
      assert.ok(await (await byTestId(browser, "home-page")).isDisplayed());
    });
  });

  it("goes through with the old passport", async () => {
    await withApp([], async (browser) => {
      await openDemoLink(browser);
      await chooseOld(browser);
      assert.match(await (await byTestId(browser, "step-title")).getText(), /photo page/);
      await photograph(browser);
      await accept(browser);
      assert.match(await (await byTestId(browser, "step-title")).getText(), /registration page/);
      await photograph(browser);
      await accept(browser);
      await photograph(browser);
      await accept(browser);
      await onScreen(browser, "done");
    });
  });

});
