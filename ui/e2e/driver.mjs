// Starts the real app binary under tauri-driver (WebKitWebDriver) and drives it with
// WebdriverIO. Each scenario gets a fresh app process.

import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "../..");
export const APP = process.env.HUMO_IDENT_APP ?? resolve(ROOT, "target/debug/humo-ident-desktop");
export const SCREENSHOTS = process.env.HUMO_IDENT_SCREENSHOTS ?? resolve(ROOT, "docs/screenshots");
const PORT = 4444;

let driver;

async function portOpen(port) {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.end();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

/** Starts tauri-driver once for the whole run. */
export async function startDriver() {
  if (driver) return;
  const binary = process.env.TAURI_DRIVER ?? `${process.env.HOME}/.cargo/bin/tauri-driver`;
  driver = spawn(binary, ["--port", String(PORT), "--native-driver", "/usr/bin/WebKitWebDriver"], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    if (await portOpen(PORT)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("tauri-driver did not start");
}

/** Stops tauri-driver gently: killed hard, it leaves WebKitWebDriver behind. */
export async function stopDriver() {
  if (!driver) return;
  const exited = new Promise((r) => driver.once("exit", r));
  driver.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  driver = undefined;
}

/** Opens the app with these command-line arguments; returns the WebdriverIO browser. */
export async function openApp(args = []) {
  await startDriver();
  const browser = await remote({
    hostname: "127.0.0.1",
    port: PORT,
    logLevel: "warn",
    capabilities: { "tauri:options": { application: APP, args } },
  });
  await browser.setTimeout({ implicit: 0 });
  await byTestId(browser, "link-input", 30000);
  return browser;
}

export async function byTestId(browser, id, timeout = 20000) {
  const element = await browser.$(`[data-testid="${id}"]`);
  await element.waitForExist({ timeout, timeoutMsg: `no [data-testid="${id}"] within ${timeout} ms` });
  return element;
}

export async function click(browser, id, timeout) {
  const element = await byTestId(browser, id, timeout);
  await element.waitForClickable({ timeout: timeout ?? 20000 });
  await element.click();
}

/** Waits until the app shows `screen` (the root's data-screen attribute). */
export async function onScreen(browser, screen, timeout = 30000) {
  await browser.waitUntil(
    async () => (await browser.$(".app").getAttribute("data-screen")) === screen,
    { timeout, interval: 100, timeoutMsg: `the app did not reach "${screen}" within ${timeout} ms` },
  );
}

export async function heading(browser) {
  return (await browser.$("h1")).getText();
}

/** A screenshot of the current screen in each language, ending in English. */
export async function screenshots(browser, name) {
  if (process.env.HUMO_IDENT_NO_SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const language of ["tg", "ru", "en"]) {
    await click(browser, `language-${language}`);
    await browser.pause(150);
    await browser.saveScreenshot(resolve(SCREENSHOTS, `${name}-${language}.png`));
  }
}

/** Everything the webview holds or was sent, as text: for proving the token never arrived. */
export async function everythingTheWebviewSaw(browser) {
  return browser.execute(() =>
    [
      ...(window.humoIdentReceived?.() ?? []),
      document.documentElement.outerHTML,
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
    ].join("\n"),
  );
}

/** The emulator's access tokens are 64 hex digits. */
export const TOKEN_PATTERN = /[0-9a-f]{64}/i;
