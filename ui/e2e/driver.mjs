// Starts the real app binary under tauri-driver (WebKitWebDriver) and drives it with
// WebdriverIO. Each scenario gets a fresh app process.

import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "../..");
export const APP = process.env.HUMO_IDENT_APP ?? resolve(ROOT, "target/debug/humo-ident-desktop");
export const SCREENSHOTS = process.env.HUMO_IDENT_SCREENSHOTS ?? resolve(ROOT, "docs/screenshots");
/** How long the app may take to start and show its first screen. Generous: a machine busy with
 * builds has started it in 20 s and more. */
const APP_START_MS = Number(process.env.HUMO_IDENT_APP_START_MS ?? 90000);
/** How long the demo's bank takes to check a photo: long enough that the waiting screen shows,
 * short enough that the suite does not spend most of its time waiting. */
export const DEMO_TASK_DELAY_MS = 700;

let driver;
let port;
let nativePort;

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

/** A loopback port that nothing listens on now. */
async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** How long tauri-driver and WebKitWebDriver may take to listen. A fresh machine loads
 * WebKitWebDriver's libraries from a cold disk, two files at once: seconds, not milliseconds. */
const DRIVER_START_MS = 60000;

/** What tauri-driver, WebKitWebDriver and the apps they start write goes to this test file's log
 * (target/e2e-logs/), and its last lines into a failing scenario's message. */
const LOG_DIR = process.env.HUMO_IDENT_E2E_LOGS ?? resolve(ROOT, "target/e2e-logs");
const LOG_FILE = resolve(LOG_DIR, `${basename(process.argv[1] ?? "e2e", ".mjs")}.log`);
const TAIL_LINES = 40;
let tail = [];
let logStarted = false;
/** Every line written so far, for `logSince`. */
const logLines = [];

function record(chunk) {
  const text = chunk.toString();
  mkdirSync(LOG_DIR, { recursive: true });
  if (!logStarted) writeFileSync(LOG_FILE, "");
  logStarted = true;
  appendFileSync(LOG_FILE, text);
  // Without the colours the app's log has on a terminal.
  const lines = text.replace(/\x1b\[[0-9;]*m/g, "").split("\n").filter((line) => line.trim());
  tail.push(...lines);
  tail = tail.slice(-TAIL_LINES);
  logLines.push(...lines);
}

/** A place in what the apps and their drivers wrote, for `logSince`. */
export function logMark() {
  return logLines.length;
}

/** What the apps and their drivers wrote since `mark` (from `logMark`), without colours. */
export function logSince(mark) {
  return logLines.slice(mark).join("\n");
}

/**
 * The XDG folders of the apps this test file starts: a fresh set for each file. Two files run
 * side by side, and an app wipes its webview's browsing data when it starts and at a kiosk's
 * reset: sharing one data folder (~/.local/share/tj.humo.ident), one app's start wiped the
 * storage the other app's WebKit processes were using. Nothing of the person's own
 * configuration or data is read or touched either.
 */
let appDataRoot;
function appData() {
  appDataRoot ??= mkdtempSync(resolve(tmpdir(), `humo-ident-e2e-${basename(process.argv[1] ?? "e2e", ".mjs")}-`));
  const folders = {};
  for (const [variable, name] of [
    ["XDG_CONFIG_HOME", "config"],
    ["XDG_DATA_HOME", "data"],
    ["XDG_CACHE_HOME", "cache"],
    ["XDG_STATE_HOME", "state"],
  ]) {
    folders[variable] = resolve(appDataRoot, name);
    mkdirSync(folders[variable], { recursive: true });
  }
  return folders;
}
process.once("exit", () => {
  if (appDataRoot) rmSync(appDataRoot, { recursive: true, force: true });
});

/** Starts tauri-driver once for this test file and waits until both it and the WebKitWebDriver
 * it starts listen: tauri-driver listens first, and a new session sent before WebKitWebDriver is
 * up only gets its connection closed. Each file runs in a process of its own, side by side with
 * the others, so each has its own ports. */
export async function startDriver() {
  if (driver && driver.exitCode === null && driver.signalCode === null) return;
  const binary = process.env.TAURI_DRIVER ?? `${process.env.HOME}/.cargo/bin/tauri-driver`;
  const nativeDriver = process.env.WEBKIT_WEBDRIVER ?? "/usr/bin/WebKitWebDriver";
  port = await freePort();
  nativePort = await freePort();
  const started = Date.now();
  const child = spawn(
    binary,
    ["--port", String(port), "--native-port", String(nativePort), "--native-driver", nativeDriver],
    // A process group of its own, so that stopDriver can end whatever it started with it. The
    // apps it starts keep their data in this file's own folders (appData).
    { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, ...appData() } },
  );
  child.stdout.on("data", record);
  child.stderr.on("data", record);
  let exit;
  child.once("exit", (code, signal) => (exit = signal ?? `exit code ${code}`));
  driver = child;
  while (Date.now() - started < DRIVER_START_MS) {
    if (exit) break;
    if ((await portOpen(port)) && (await portOpen(nativePort))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopDriver();
  throw new Error(
    exit
      ? `tauri-driver ended (${exit}) before it listened on ${port} and WebKitWebDriver on ${nativePort}`
      : `tauri-driver (port ${port}) and WebKitWebDriver (port ${nativePort}) did not both listen within ${DRIVER_START_MS} ms`,
  );
}

/** Stops tauri-driver gently (killed hard, it leaves WebKitWebDriver behind), then ends what
 * is left of its process group: WebKitWebDriver, and any app a session did not close. A process
 * left behind holds the test runner's output open, and the runner waits for it for ever. */
export async function stopDriver() {
  if (!driver) return;
  const child = driver;
  driver = undefined;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // Nothing is left of the group.
  }
  // Whatever still holds the pipes is gone or going: stop reading them, so this process can end.
  child.stdout.destroy();
  child.stderr.destroy();
}

/** What is wrong with the driver, if anything: for the message of a scenario that failed. */
async function driverTrouble() {
  if (!driver) return "tauri-driver is not running";
  if (driver.exitCode !== null || driver.signalCode !== null) {
    return `tauri-driver ended (${driver.signalCode ?? `exit code ${driver.exitCode}`})`;
  }
  if (!(await portOpen(nativePort))) return `WebKitWebDriver no longer listens on ${nativePort}`;
  if (!(await portOpen(port))) return `tauri-driver no longer listens on ${port}`;
  return "";
}

/** The message of a scenario that failed: what went wrong, the state of the driver, and the
 * last lines the app and its drivers wrote. */
async function withDiagnosis(error, what) {
  const trouble = await driverTrouble();
  const lines = tail.length ? tail.join("\n") : "(nothing)";
  const failure = error instanceof Error ? error : new Error(String(error));
  failure.message = `${what}: ${failure.message}${trouble ? `\n${trouble}` : ""}\n--- the last lines the app and its drivers wrote (all of them in ${LOG_FILE}):\n${lines}`;
  return failure;
}

/** Opens the app with these command-line arguments; returns the WebdriverIO browser once its
 * first screen (the start screen, or the element `ready` names) is there. A new session that
 * fails while the machine is busy is tried again. */
export async function openApp(args = [], { ready = "link-input" } = {}) {
  ready ??= "link-input";
  await startDriver();
  const started = Date.now();
  const appArgs = ["--demo-task-delay-ms", String(DEMO_TASK_DELAY_MS), ...args];
  let browser;
  for (let attempt = 1; !browser; attempt++) {
    try {
      browser = await remote({
        hostname: "127.0.0.1",
        port,
        logLevel: "warn",
        connectionRetryTimeout: APP_START_MS,
        connectionRetryCount: 0,
        capabilities: { "tauri:options": { application: APP, args: appArgs } },
      });
    } catch (error) {
      const waited = Date.now() - started;
      if (attempt >= 4 || waited >= APP_START_MS) {
        throw new Error(`the app did not start: no WebDriver session after ${attempt} attempts in ${waited} ms: ${error.message}`);
      }
      const trouble = await driverTrouble();
      console.error(`# the app's WebDriver session failed (attempt ${attempt}, ${waited} ms): ${error.message}${trouble ? ` (${trouble})` : ""}; trying again with a fresh driver`);
      // Whatever failed (the native driver gone, a session half made), the next attempt
      // starts from a fresh tauri-driver and WebKitWebDriver.
      await stopDriver();
      await new Promise((r) => setTimeout(r, 2000 * attempt));
      await startDriver();
    }
  }
  await browser.setTimeout({ implicit: 0 });
  const left = Math.max(APP_START_MS - (Date.now() - started), 30000);
  await byTestId(browser, ready, left).catch(async () => {
    await browser.deleteSession().catch(() => {});
    throw new Error(`the app started but its first screen ([data-testid="${ready}"]) did not show within ${left} ms`);
  });
  return browser;
}

export async function byTestId(browser, id, timeout = 20000) {
  const element = await browser.$(`[data-testid="${id}"]`);
  await element.waitForExist({ timeout, timeoutMsg: `no [data-testid="${id}"] within ${timeout} ms` });
  return element;
}

export async function click(browser, id, timeout = 20000) {
  const element = await byTestId(browser, id, timeout);
  await element.waitForClickable({ timeout, timeoutMsg: `[data-testid="${id}"] was not clickable within ${timeout} ms` });
  await element.click();
}

/** Every id the root's data-screen attribute can take. Each is a component's name in
 * `ui/src/lib/screens/`, in lowerCamel case: the wizard's `SCREENS` (`ui/src/lib/screen.ts`) and
 * the LUNA PASS webview's `lunaPass`, which `ui/src/lib/screen.test.ts` holds to exactly that. */
export const SCREEN_IDS = Object.freeze(
  readdirSync(resolve(ROOT, "ui/src/lib/screens"))
    .filter((file) => file.endsWith(".svelte"))
    .map((file) => file[0].toLowerCase() + file.slice(1, -".svelte".length))
    .sort(),
);
if (SCREEN_IDS.length === 0) throw new Error("no screen components in ui/src/lib/screens/");

/** `screen`, if the UI has a screen of that id; otherwise an error at once, not a timeout. */
export function knownScreen(screen) {
  if (!SCREEN_IDS.includes(screen)) {
    throw new Error(`no screen "${screen}" in the UI; its screens are ${SCREEN_IDS.join(", ")}`);
  }
  return screen;
}

/** Waits until the app shows `screen` (the root's data-screen attribute). A time-out says
 * which screen shows instead, and the error on it, if any. */
export async function onScreen(browser, screen, timeout = 30000) {
  knownScreen(screen);
  const shown = async () => browser.$(".app").getAttribute("data-screen");
  try {
    await browser.waitUntil(async () => (await shown()) === screen, { timeout, interval: 100 });
  } catch (error) {
    const instead = await shown().catch(() => "(unknown)");
    const refusal = await browser.$('[data-testid="error"]');
    const said = (await refusal.isExisting().catch(() => false))
      ? `, saying "${await refusal.getText()}" (${await refusal.getAttribute("data-code")})`
      : "";
    throw new Error(`the app did not reach "${screen}" within ${timeout} ms: it shows "${instead}"${said}`, { cause: error });
  }
}

export async function heading(browser) {
  return (await browser.$("h1")).getText();
}

export const LANGUAGES = ["tg", "ru", "en"];

/** The current screen in each language, ending in English: photographed unless
 * HUMO_IDENT_NO_SCREENSHOTS is set, then checked by axe-core. With `languages: false`, a page
 * that has no language switch, once. */
export async function screenshots(browser, name, { languages = true, transient = null } = {}) {
  // A screen the app leaves by itself after a few seconds (`transient`: what shows it) may be
  // gone before a loaded machine has photographed it: its pictures are then kept from the last
  // run that caught it, and the test asserts on the page's record of screens instead.
  const gone = async () => transient !== null && !(await transient().catch(() => false));
  try {
    if (!process.env.HUMO_IDENT_NO_SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const shots = languages ? LANGUAGES.map((language) => [language, `${name}-${language}`]) : [[null, name]];
      for (const [language, shot] of shots) {
        if (language) await click(browser, `language-${language}`);
        await settled(browser, shot, language ?? undefined);
        if (await gone()) {
          console.warn(`screenshot ${shot}: not taken, the app had left the screen by itself`);
          return;
        }
        await browser.saveScreenshot(resolve(SCREENSHOTS, `${shot}.png`));
      }
    }
    if (await gone()) return;
    await accessible(browser, name, { languages });
  } catch (error) {
    // A transient screen that went while it was being photographed can take the element
    // clicked with it ("stale element"): that is the screen leaving, not a failure.
    if (!(await gone())) throw error;
    console.warn(`screenshots ${name}: stopped, the app had left the screen by itself (${error.message})`);
  }
}

/**
 * Starts the page's own record of the screens it shows (the root's data-screen, and whether the
 * connection-trouble notice is up), for screens the app passes through by itself: the record
 * holds them however slowly the test looks. `screensShown` reads it.
 */
export async function recordScreens(browser) {
  await browser.execute(() => {
    const shown = [];
    window.humoIdentScreensShown = shown;
    const note = () => {
      const screen = document.querySelector(".app")?.getAttribute("data-screen") ?? "";
      const entry = document.querySelector('[data-testid="connection-trouble"]') ? `${screen}+connection-trouble` : screen;
      if (shown.at(-1) !== entry) shown.push(entry);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
    note();
  });
}

/** The screens the page recorded since `recordScreens`, in order. */
export async function screensShown(browser) {
  return browser.execute(() => window.humoIdentScreensShown ?? []);
}

/** Waits until the page shows what its DOM holds before a screenshot: the language's texts,
 * every picture decoded, a frame in every camera preview, and two frames painted since. WebKit
 * photographs the last frame it painted, which can still be the screen before. A page that does
 * not settle within 10 s is photographed anyway, with a warning: a screenshot documents, the
 * tests' own checks assert. */
async function settled(browser, shot, language) {
  const unsettled = () =>
    browser.execute((lang) => {
      if (lang && document.documentElement.lang !== lang) return `the page's language is not ${lang}`;
      const picture = [...document.images].find((img) => !img.complete || img.naturalWidth === 0);
      if (picture) return `a picture is still loading (${picture.getAttribute("data-testid") ?? picture.src})`;
      if (document.querySelector('[data-testid="preview"][data-has-frame="false"]')) {
        return "the camera preview has no frame yet";
      }
      return "";
    }, language ?? null);
  let why = "";
  try {
    await browser.waitUntil(async () => !(why = await unsettled()), { timeout: 10000, interval: 50 });
    await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  } catch (error) {
    console.warn(`screenshot ${shot}: taken before the page settled (${why || error.message})`);
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** Where each axe-core check of this test file is recorded, one JSON line per screen and
 * language (what was checked, and every violation found), for the figures in docs/ACCESSIBILITY.md. */
export const AXE_RECORD = resolve(
  process.env.HUMO_IDENT_AXE_RECORD ?? resolve(ROOT, "target/e2e-accessibility"),
  `${basename(process.argv[1] ?? "e2e", ".mjs")}.jsonl`,
);
let axeRecordStarted = false;

/**
 * Runs axe-core (every rule but the experimental ones) on the page shown, in each language (its
 * switch pressed in the page, ending in English) or, with `languages: false`, as it is. Fails
 * on any serious or critical violation, naming the rule, its impact, the screen, the language
 * and the offending nodes; moderate and minor ones are recorded in AXE_RECORD and let through.
 * One script does every language, so a screen that lasts seconds is still checked whole.
 */
export async function accessible(browser, name, { languages = true } = {}) {
  if (!(await browser.execute(() => typeof window.axe === "object"))) await browser.execute(AXE_SOURCE);
  const result = await browser.executeAsync(async (languages, done) => {
    const painted = () => new Promise((r) => {
      requestAnimationFrame(() => requestAnimationFrame(() => r()));
      setTimeout(r, 200);
    });
    try {
      const checks = [];
      for (const language of languages ?? [null]) {
        if (language) {
          document.querySelector(`[data-testid="language-${language}"]`).click();
          await painted();
        }
        const started = performance.now();
        const results = await window.axe.run(document, { resultTypes: ["violations"] });
        checks.push({
          language: document.documentElement.lang,
          screen: document.querySelector(".app")?.getAttribute("data-screen") ?? location.pathname,
          ms: Math.round(performance.now() - started),
          violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((node) => node.target.flat().join(" ")),
          })),
        });
      }
      done({ checks });
    } catch (error) {
      done({ error: String(error) });
    }
  }, languages ? LANGUAGES : null);
  assert.ok(!result.error, `axe-core did not run on "${name}": ${result.error}`);
  mkdirSync(dirname(AXE_RECORD), { recursive: true });
  if (!axeRecordStarted) writeFileSync(AXE_RECORD, "");
  axeRecordStarted = true;
  appendFileSync(AXE_RECORD, result.checks.map((check) => `${JSON.stringify({ name, ...check })}\n`).join(""));
  const serious = result.checks.flatMap((check) =>
    check.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}) on screen ${check.screen}, language ${check.language}: ${v.help}: ${v.nodes.join(", ")}`),
  );
  assert.deepEqual(serious, [], `axe-core: serious or critical violations on "${name}"`);
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

/** Nothing the webview received holds a token: what every scenario checks at its end. */
export async function noTokenReachedTheWebview(browser) {
  const seen = await everythingTheWebviewSaw(browser);
  assert.ok(seen.length > 1000, "the webview's record of what it received is there");
  assert.doesNotMatch(seen, TOKEN_PATTERN, "the access token never reached the webview");
}

/**
 * Opens the app (`openApp`'s options), runs `body`, then `afterwards` (by default: no token
 * reached the webview), and closes the app. A scenario that fails, or whose app cannot be
 * closed (the app or a driver crashed), fails alone: its message says what happened to the
 * driver and holds the last lines the app and its drivers wrote, and the driver is started
 * afresh for the next scenario.
 */
export async function withApp(args, body, { ready, afterwards = noTokenReachedTheWebview } = {}) {
  let browser;
  try {
    browser = await openApp(args, { ready });
  } catch (error) {
    const failure = await withDiagnosis(error, "the app did not start");
    await stopDriver();
    throw failure;
  }
  let failure;
  try {
    await body(browser);
    if (afterwards) await afterwards(browser);
  } catch (error) {
    failure = await withDiagnosis(error, "the scenario failed");
  }
  try {
    await browser.deleteSession();
  } catch (error) {
    failure ??= await withDiagnosis(error, "the app's WebDriver session could not be closed (the app or a driver crashed)");
  }
  if (failure) {
    await stopDriver();
    throw failure;
  }
}
