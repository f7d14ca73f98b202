// Faults and edge cases in the real webview, in demo mode: a refused photo, a lost network, a
// wrong or expired link, a missing camera, a QR code, and the kiosk's reset. Runs side by side
// with the other files (each has its own driver and app).

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  byTestId,
  click,
  heading,
  logMark,
  logSince,
  onScreen,
  recordScreens,
  screenshots,
  screensShown,
  stopDriver,
  withApp,
} from "./driver.mjs";
import { accept, chooseNewWithTaxNumber, chooseOld, openDemoLink, photograph } from "./flows.mjs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

after(stopDriver);

describe("faults in demo mode", { timeout: 300000 }, () => {
  it("takes a refused photo again, keeping the document choice", async () => {
    await withApp([], async (browser) => {
      await openDemoLink(browser);
      await chooseNewWithTaxNumber(browser);
      await browser.$('[data-testid="demo-panel"] summary').click();
      await click(browser, "demo-failNextDocument");
      await photograph(browser);
      await onScreen(browser, "rejected", 40000);
      assert.match(await (await byTestId(browser, "reject-reason")).getText(), /blurred/);
      await screenshots(browser, "08-rejected");
      await click(browser, "retake");
      await onScreen(browser, "cameraStep");
      assert.match(await (await byTestId(browser, "step-title")).getText(), /front side/);
      await photograph(browser);
      await accept(browser);
      assert.match(await (await byTestId(browser, "step-title")).getText(), /back side/);
    });
  });

  it("recovers by itself from a lost network, without asking for the photo again", async () => {
    await withApp([], async (browser) => {
      await openDemoLink(browser);
      await chooseOld(browser);
      await browser.$('[data-testid="demo-panel"] summary').click();
      await click(browser, "demo-dropConnection");
      // Eight checks lose the connection: the app shows its trouble, is interrupted after five
      // and retries by itself two seconds later. Those screens last seconds, so the page keeps
      // the record the test asserts on.
      await recordScreens(browser);
      await photograph(browser);
      const troubleShown = async () => (await browser.$('[data-testid="connection-trouble"]').isExisting());
      await byTestId(browser, "connection-trouble", 20000);
      await screenshots(browser, "09-waiting", { transient: troubleShown });
      const interrupted = async () => (await browser.$(".app").getAttribute("data-screen")) === "interrupted";
      if (await interrupted().catch(() => false) || (await onScreen(browser, "interrupted", 10000).then(() => true, () => false))) {
        await screenshots(browser, "10-interrupted", { transient: interrupted });
      }
      await onScreen(browser, "accepted", 90000);
      const shown = await screensShown(browser);
      const trouble = shown.findIndex((entry) => entry.endsWith("+connection-trouble"));
      const stopped = shown.indexOf("interrupted");
      assert.ok(trouble >= 0 && stopped > trouble, `the trouble, then the interruption: ${shown.join(" > ")}`);
      assert.equal(shown.at(-1), "accepted", shown.join(" > "));
      assert.ok(!shown.slice(stopped).includes("cameraStep"), `the photo was not asked for again: ${shown.join(" > ")}`);
    });
  });

  it("refuses a wrong link, a link from another host and an unknown one with clear messages", async () => {
    await withApp([], async (browser) => {
      const input = await byTestId(browser, "link-input");
      await input.setValue("this is not a link");
      await click(browser, "open-link");
      assert.match(await $text(browser, "#link-help"), /does not look like a link/);
      // A web link from a host the bank did not name opens nothing.
      await input.setValue("https://evil.example/ident?key=9f1d7c2a-0000-4000-8000-00000000e999");
      await click(browser, "open-link");
      const refusal = await byTestId(browser, "error");
      await browser.waitUntil(async () => /not from the bank's address/.test(await refusal.getText()), {
        timeout: 10000,
        timeoutMsg: "the link from another host was not refused with its reason",
      });
      await onScreen(browser, "start");
      await input.setValue("9f1d7c2a-0000-4000-8000-00000000e999");
      await click(browser, "open-link");
      await onScreen(browser, "linkFailed");
      assert.match(await (await byTestId(browser, "link-error")).getText(), /not found/);
      await screenshots(browser, "11-link-failed");
      await click(browser, "other-link");
      await onScreen(browser, "start");
    });
  });

  it("shows an expired link and starts again", async () => {
    await withApp([], async (browser) => {
      await openDemoLink(browser);
      await browser.$('[data-testid="demo-panel"] summary').click();
      await click(browser, "demo-expireLink");
      await chooseOld(browser);
      await photograph(browser);
      await onScreen(browser, "expired", 40000);
      await screenshots(browser, "12-expired");
      await click(browser, "start-again");
      await onScreen(browser, "start");
    });
  });

  it("explains a missing camera and keeps the photo-file way open", async () => {
    await withApp(["--camera", "0"], async (browser) => {
      await openDemoLink(browser);
      await chooseOld(browser);
      const trouble = await byTestId(browser, "camera-trouble");
      assert.match(await trouble.getText(), /No camera found/);
      assert.ok(await (await byTestId(browser, "choose-file")).isDisplayed());
      await screenshots(browser, "13-no-camera");
    });
  });

  it("stays on its own pages: no navigation away, no new window, no download", async () => {
    await withApp([], async (browser) => {
      const mark = logMark();
      const windows = await browser.getWindowHandles();
      // What a page's script (or a link in content) could try.
      const opened = await browser.execute(() => {
        const opened = window.open("https://example.com/", "_blank") !== null;
        const download = document.createElement("a");
        download.href = URL.createObjectURL(new Blob(["left behind"], { type: "text/plain" }));
        download.download = "left-behind.txt";
        document.body.append(download);
        download.click();
        download.remove();
        location.href = "https://example.com/";
        return opened;
      });
      // No window opens (WebKit blocks a window a script opens by itself; the shell refuses
      // any other). The download and the navigation away are refused by the shell, which says
      // so: the download's link is a navigation to its blob first.
      assert.equal(opened, false, "window.open gave a window");
      const refusals = ["navigation refused to blob", "navigation refused to https"];
      await browser.waitUntil(async () => refusals.every((line) => logSince(mark).includes(line)), {
        timeout: 30000,
        timeoutMsg: `the shell did not refuse all of ${refusals.join("; ")} within 30 s`,
      });
      assert.deepEqual(await browser.getWindowHandles(), windows, "no window was opened");
      // Still the app's own page, and it still works.
      assert.equal(await browser.execute(() => location.origin), "tauri://localhost");
      await openDemoLink(browser);
      await onScreen(browser, "documentChoice");
    });
  });

  it("reads the link from a QR code", async () => {
    await withApp([], async (browser) => {
      await click(browser, "scan-code");
      await onScreen(browser, "scanning");
      await onScreen(browser, "documentChoice", 30000);
    });
  });
});

describe("kiosk", { timeout: 120000 }, () => {
  it("refuses to start without the machine's file, and says what to configure", async () => {
    // The start-up error page has no session to leak a token from: nothing to check after it.
    await withApp(["--kiosk"], async (browser) => {
      const page = await (await byTestId(browser, "startup-error")).getText();
      assert.match(page, /Humo Ident cannot start/);
      assert.match(page, /Humo Ident не может запуститься/);
      const detail = await (await byTestId(browser, "startup-error-detail")).getText();
      // A kiosk takes its settings from the machine's file alone: no flag can name a server.
      assert.match(detail, /machine's configuration file only/);
      assert.match(detail, /\/etc\/humo-ident\/config\.toml/);
      assert.match(detail, /base-url/);
      assert.equal(await browser.$('[data-testid="demo-badge"]').isExisting(), false, "never the demo");
      await screenshots(browser, "15-kiosk-not-configured", { languages: false });
    }, { ready: "startup-error", afterwards: null });
  });

  it("forgets the client after the idle time-out, with nothing the page stored", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "humo-ident-kiosk-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, "config.toml");
    // Ten seconds without a touch: ten times what the steps before the reset take between two
    // touches on a loaded machine, so the reset never comes before the test has looked.
    writeFileSync(config, "[kiosk]\nidle-reset-secs = 10\n");
    await withApp(["--demo", "--kiosk", "--config", config], async (browser) => {
      await openDemoLink(browser);
      await chooseOld(browser);
      await onScreen(browser, "cameraStep");
      await byTestId(browser, "take-photo");
      assert.equal(await browser.$('[data-testid="photo-file"]').isExisting(), false, "no file button at a kiosk");
      // Nor can a page's script open a file picker (the shell's script, on every system).
      const pickers = await browser.executeAsync(async (done) => {
        const input = document.createElement("input");
        input.type = "file";
        document.body.append(input);
        const clicked = new MouseEvent("click", { bubbles: true, cancelable: true });
        input.dispatchEvent(clicked);
        const result = { clickCancelled: clicked.defaultPrevented };
        try {
          input.showPicker();
          result.showPicker = "opened";
        } catch (error) {
          result.showPicker = error.name;
        }
        try {
          HTMLInputElement.prototype.showPicker = () => {};
          Object.defineProperty(HTMLInputElement.prototype, "showPicker", { value: () => {} });
          result.undone = true;
        } catch {
          result.undone = false;
        }
        result.openFilePicker = await window.showOpenFilePicker().then(() => "opened", (error) => error.name);
        input.remove();
        done(result);
      });
      assert.deepEqual(pickers, {
        clickCancelled: true,
        showPicker: "NotAllowedError",
        undone: false,
        openFilePicker: "NotAllowedError",
      });
      await browser.execute(() => localStorage.setItem("left-behind", "by the last client"));
      await click(browser, "language-ru");
      // The start screen shows as soon as the session resets; the wipe of the page's storage
      // and the reload that follows it come a moment later, so wait for them.
      const stored = async () => {
        try {
          return await browser.execute(() => localStorage.getItem("left-behind"));
        } catch {
          return "the page is reloading";
        }
      };
      await browser.waitUntil(async () => (await stored()) === null, {
        timeout: 60000,
        timeoutMsg: "the page's storage was not wiped for the next client within 60 s",
      });
      await onScreen(browser, "start", 15000);
      await byTestId(browser, "link-input");
      await browser.waitUntil(async () => (await heading(browser).catch(() => "")) === "Identification", {
        timeout: 15000,
        timeoutMsg: "the next client does not start in the default language",
      });
      const link = await byTestId(browser, "link-input");
      assert.equal(await link.getValue(), "05a4ce19-de3c-4d2c-a464-7356dbdbd107");
      await screenshots(browser, "14-kiosk-start");
    });
  });
});

async function $text(browser, selector) {
  return (await browser.$(selector)).getText();
}
