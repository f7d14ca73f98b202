// The LUNA PASS webview's page against a fake of the vendor's library: it starts the library,
// checks on the person's word, hands the token to the app, shows why a check did not pass, and
// says so when the library never starts. Also the reading of LUNA PASS's reasons, and the two
// webviews: the wizard opens the LUNA PASS webview, and that webview lives on its narrow feed
// alone.

import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import LunaPassApp from "../../LunaPassApp.svelte";
import LunaPass from "../screens/LunaPass.svelte";
import { setBackend } from "../backend";
import type { LunaPassView } from "../bindings/LunaPassView";
import { setDefaultLanguage } from "../i18n.svelte";
import { currentLanguage } from "../i18n.svelte";
import { kioskInAddress, languageInAddress } from "../pages";
import { app } from "../state.svelte";
import { FakeBackend } from "../testing/fakeBackend";
import { reasonOf } from "./errors";
import { loadLibrary, type LunaPassConstructor, type LunaPassResult } from "./library";

const VIEW: LunaPassView = {
  stepIndex: 2,
  scriptUrl: "http://127.0.0.1:9/luna-pass/luna-pass.js",
  wsUrl: "ws://127.0.0.1:9/luna-pass/ws",
  scriptIntegrity: null,
  readyTimeoutMs: 1000,
  checkTimeoutMs: 1000,
  failedChecks: 0,
  errors: [],
};

/** A stand-in for the vendor's library that the test drives by hand. */
class FakeLibrary {
  static last: FakeLibrary | null = null;
  element: HTMLElement;
  wsUrl: string;
  onReady: () => void;
  onSuccess: (result: LunaPassResult) => void;
  checks = 0;
  destroyed = false;
  constructor(element: HTMLElement, wsUrl: string, onReady: () => void, onSuccess: (result: LunaPassResult) => void) {
    this.element = element;
    this.wsUrl = wsUrl;
    this.onReady = onReady;
    this.onSuccess = onSuccess;
    FakeLibrary.last = this;
  }
  checkLiveness() {
    this.checks += 1;
  }
  destroy() {
    this.destroyed = true;
  }
}

let fake: FakeBackend;
let loaded: string[];

async function settle() {
  await tick();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await tick();
}

function show(view: LunaPassView = VIEW) {
  fake = new FakeBackend({ selfie: { kind: "lunaPass" } });
  setBackend(fake);
  app.lunaPass = view;
  loaded = [];
  const loader = async (url: string) => {
    loaded.push(url);
    return FakeLibrary as unknown as LunaPassConstructor;
  };
  return render(LunaPass, { loader });
}

beforeEach(() => {
  app.clear();
  setDefaultLanguage("en");
  FakeLibrary.last = null;
});
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe("the LUNA PASS screen", () => {
  it("loads the configured library, checks when asked, and hands the token to the app", async () => {
    show();
    await settle();
    expect(loaded).toEqual([VIEW.scriptUrl]);
    const library = FakeLibrary.last!;
    expect(library.wsUrl).toBe(VIEW.wsUrl);
    expect(library.element).toBe(screen.getByTestId("luna-pass-host"));
    expect(screen.queryByTestId("luna-pass-check")).toBeNull();

    library.onReady();
    await settle();
    await fireEvent.click(screen.getByTestId("luna-pass-check"));
    expect(library.checks).toBe(1);
    expect(screen.getByTestId("luna-pass").dataset.phase).toBe("checking");

    library.onSuccess({ isOk: true, jwt: "h.p.s" });
    await settle();
    expect(fake.called("lunaPassResult")).toEqual([{ name: "lunaPassResult", args: ["h.p.s"] }]);
  });

  it("shows why a check did not pass, translated where known, and checks again", async () => {
    show();
    await settle();
    const library = FakeLibrary.last!;
    library.onReady();
    await settle();
    fake.refusals.set("lunaPassResult", { code: "selfie-not-passed", message: "The face check did not pass" });
    await fireEvent.click(screen.getByTestId("luna-pass-check"));
    library.onSuccess({ isOk: false, jwt: "h.p.s" });
    // The app answers with the view's errors.
    app.lunaPass = { ...VIEW, failedChecks: 1, errors: ["TOO_DARK", "SOMETHING_NEW"] };
    await settle();
    const reasons = screen.getByTestId("luna-pass-reasons").textContent!;
    expect(reasons).toContain("It is too dark");
    // An unknown reason: a general one in the person's words, the vendor's in small print.
    expect(reasons).toContain("The face check did not accept the picture for another reason.");
    expect(screen.getByTestId("luna-pass-raw-reason").textContent).toBe("Details: SOMETHING_NEW");
    expect(screen.getByTestId("luna-pass-raw-reason").classList).toContain("small");
    expect(screen.queryByTestId("error")).toBeNull();

    // A refusal without reasons still says it did not pass.
    app.lunaPass = { ...VIEW, failedChecks: 2, errors: [] };
    await settle();
    expect(screen.getByTestId("luna-pass-reasons").textContent).toContain("did not pass");

    const again = screen.getByTestId("luna-pass-check");
    expect(again.textContent).toContain("Check again");
    await fireEvent.click(again);
    expect(library.checks).toBe(2);
  });

  it("says so when the library never becomes ready, and starts it again", async () => {
    vi.useFakeTimers();
    show();
    await vi.advanceTimersByTimeAsync(VIEW.readyTimeoutMs + 10);
    expect(screen.getByTestId("luna-pass-trouble").textContent).toContain("did not start");
    const first = FakeLibrary.last!;
    await fireEvent.click(screen.getByTestId("luna-pass-restart"));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.destroyed).toBe(true);
    expect(FakeLibrary.last).not.toBe(first);
    expect(loaded).toHaveLength(2);
  });

  it("says so when the library cannot be loaded", async () => {
    fake = new FakeBackend({ selfie: { kind: "lunaPass" } });
    setBackend(fake);
    app.lunaPass = VIEW;
    render(LunaPass, { loader: () => Promise.reject(new Error("offline")) });
    await settle();
    expect(screen.getByTestId("luna-pass-trouble").textContent).toContain("could not be loaded");
  });
});

describe("the two webviews", () => {
  const selfie = { index: 2, total: 3, id: "selfie", label: "selfie", kind: "selfie", document: "old" } as const;

  it("the wizard opens the LUNA PASS webview in its language once the camera is free, and again on request", async () => {
    fake = new FakeBackend({ selfie: { kind: "lunaPass" } });
    setBackend(fake);
    render(App);
    await settle();
    await fireEvent.click(screen.getByTestId("language-ru"));
    fake.state({ state: "awaitingInput", step: selfie });
    await settle();
    expect(screen.getByTestId("luna-pass-opening")).toBeTruthy();
    expect(fake.calls.filter((c) => c.name === "showLunaPass")).toEqual([]);

    fake.emit({ type: "lunaPass", data: VIEW });
    await settle();
    expect(screen.getByTestId("luna-pass-window")).toBeTruthy();
    expect(fake.calls.filter((c) => c.name === "showLunaPass")).toEqual([{ name: "showLunaPass", args: ["ru"] }]);
    // The library never runs in the wizard.
    expect(screen.queryByTestId("luna-pass-host")).toBeNull();

    await fireEvent.click(screen.getByTestId("luna-pass-show"));
    await settle();
    expect(fake.calls.filter((c) => c.name === "showLunaPass")).toHaveLength(2);

    fake.emit({ type: "lunaPass", data: null });
    await settle();
    expect(screen.getByTestId("luna-pass-opening")).toBeTruthy();
  });

  it("the LUNA PASS webview's page asks for its feed alone and shows what it is fed", async () => {
    fake = new FakeBackend({ selfie: { kind: "lunaPass" } });
    setBackend(fake);
    render(LunaPassApp);
    await settle();
    expect(fake.calls.map((c) => c.name)).toEqual(["lunaPassFeed"]);
    expect(screen.queryByTestId("luna-pass")).toBeNull();

    fake.feedLunaPass(VIEW);
    await settle();
    expect(screen.getByTestId("luna-pass")).toBeTruthy();
    fake.feedLunaPass(null);
    await settle();
    expect(screen.queryByTestId("luna-pass")).toBeNull();
    expect(fake.calls.map((c) => c.name)).toEqual(["lunaPassFeed"]);
  });

  it("the LUNA PASS webview's page takes its language and the kiosk from its address", () => {
    expect(languageInAddress("?lang=ru")).toBe("ru");
    expect(languageInAddress("?lang=xx")).toBeNull();
    expect(languageInAddress("")).toBeNull();
    expect(kioskInAddress("?lang=tg&kiosk=1")).toBe(true);
    expect(kioskInAddress("?lang=tg")).toBe(false);
    expect(currentLanguage()).toBeTruthy();
  });
});

describe("LUNA PASS's reasons", () => {
  it("are recognised by their stem, and the local check's hints pass through", () => {
    expect(reasonOf("TOO_DARK")).toEqual({ key: "lunaPass.reasons.tooDark" });
    expect(reasonOf("face not centered")).toEqual({ key: "lunaPass.reasons.notCentred" });
    expect(reasonOf("MULTIPLE_FACES")).toEqual({ key: "lunaPass.reasons.severalFaces" });
    expect(reasonOf("FACE_NOT_FOUND")).toEqual({ key: "lunaPass.reasons.noFace" });
    expect(reasonOf("NO_FACES")).toEqual({ key: "lunaPass.reasons.noFace" });
    expect(reasonOf("EYES_CLOSED")).toEqual({ key: "lunaPass.reasons.eyesClosed" });
    expect(reasonOf("TOO_CLOSE")).toEqual({ key: "lunaPass.reasons.tooClose" });
    expect(reasonOf("EYEGLASSES")).toEqual({ key: "lunaPass.reasons.glasses" });
    expect(reasonOf("no-face")).toEqual({ key: "hints.no-face" });
    // Glare is no reason the local provider gives: the vendor's word means too much light.
    expect(reasonOf("glare")).toEqual({ key: "lunaPass.reasons.tooBright" });
    expect(reasonOf("QUANTUM_FLUX")).toEqual({ raw: "QUANTUM_FLUX" });
  });
});

describe("the selfie step's set-up", () => {
  const selfie = { index: 2, total: 3, id: "selfie", label: "selfie", kind: "selfie", document: "old" } as const;

  async function atSelfie(info: Partial<import("../bindings/AppInfo").AppInfo>) {
    fake = new FakeBackend(info);
    setBackend(fake);
    render(App);
    await settle();
    fake.state({ state: "awaitingInput", step: selfie });
    await settle();
  }

  it("says why no selfie can be taken", async () => {
    await atSelfie({ selfie: { kind: "unavailable", reason: "lunaPassNotConfigured" } });
    expect(screen.getByTestId("selfie-unavailable-reason").textContent).toContain("LUNA PASS");
    document.body.replaceChildren();
    app.clear();
    await atSelfie({ selfie: { kind: "unavailable", reason: "localNotAllowed" } });
    expect(screen.getByTestId("selfie-unavailable-reason").textContent).toContain("demo server");
  });

  it("says so when the local liveness check is used with a server that is not on this machine", async () => {
    await atSelfie({ selfie: { kind: "local", remoteServer: true } });
    expect(screen.getByTestId("local-on-remote").textContent).toContain("not by the bank's face check");
    document.body.replaceChildren();
    app.clear();
    await atSelfie({ selfie: { kind: "local", remoteServer: false } });
    expect(screen.queryByTestId("local-on-remote")).toBeNull();
  });

  it("waits for the app to let go of the camera before the LUNA PASS webview opens", async () => {
    await atSelfie({ selfie: { kind: "lunaPass" } });
    expect(screen.getByTestId("luna-pass-opening")).toBeTruthy();
  });
});

describe("loading the library", () => {
  const removeScripts = () => document.head.querySelectorAll("script").forEach((script) => script.remove());
  beforeEach(removeScripts);
  afterEach(removeScripts);

  it("asks the webview to check the script against its SRI hash when one is configured", async () => {
    const loading = loadLibrary("https://lp.bank.example/sdk/luna-pass.js", "sha384-abc");
    const script = document.head.querySelector("script")!;
    expect(script.src).toBe("https://lp.bank.example/sdk/luna-pass.js");
    expect(script.getAttribute("integrity")).toBe("sha384-abc");
    expect(script.getAttribute("crossorigin")).toBe("anonymous");
    // A script that does not match its hash is not run: the webview reports an error.
    script.dispatchEvent(new Event("error"));
    await expect(loading).rejects.toThrow(/could not be loaded/);
  });

  it("loads the script as it is when no hash is configured", () => {
    void loadLibrary("https://lp.bank.example/sdk/luna-pass.js", null).catch(() => {});
    const script = document.head.querySelector("script")!;
    expect(script.getAttribute("integrity")).toBeNull();
    expect(script.getAttribute("crossorigin")).toBeNull();
  });
});

