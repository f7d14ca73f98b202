// Each screen's logic against a fake backend: what it shows for the app's events, and what it
// asks of the app when the person acts.

import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "../App.svelte";
import { setBackend } from "./backend";
import type { CameraOption } from "./bindings/CameraOption";
import type { StepView } from "./bindings/StepView";
import { setDefaultLanguage } from "./i18n.svelte";
import { app } from "./state.svelte";
import { FakeBackend } from "./testing/fakeBackend";

const front: StepView = { index: 0, total: 4, id: "front", label: "front side", kind: "documentPage", document: "new" };
const network = { code: "network" as const, kind: "unavailable" as const, message: "The bank's server could not be reached" };

let fake: FakeBackend;

async function start(info = {}) {
  fake = new FakeBackend(info);
  setBackend(fake);
  render(App);
  await screen.findByRole("heading", { name: "Identification" });
}

async function settle() {
  await tick();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await tick();
}

beforeEach(() => {
  app.clear();
  setDefaultLanguage("en");
});
afterEach(() => document.body.replaceChildren());

describe("start", () => {
  it("fills in the demo key and opens it", async () => {
    await start();
    expect((screen.getByTestId("link-input") as HTMLInputElement).value).toBe("05a4ce19-de3c-4d2c-a464-7356dbdbd107");
    expect(screen.getByTestId("demo-badge")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("open-link"));
    expect(fake.called("openLink")).toEqual([{ name: "openLink", args: ["05a4ce19-de3c-4d2c-a464-7356dbdbd107"] }]);
  });

  it("is drawn with the info handed with the page, and fills in the link the app was started with when it answers", async () => {
    fake = new FakeBackend({ systemLocale: "ru-RU" });
    fake.handedInfo = { ...fake.info, link: null };
    fake.holdAppInfoBack();
    setBackend(fake);
    render(App);
    // Drawn before any answer, in the system's language, with the field still empty.
    await screen.findByRole("heading", { name: "Идентификация" });
    const input = screen.getByTestId("link-input") as HTMLInputElement;
    expect(input.value).toBe("");
    fake.releaseAppInfo();
    await settle();
    expect(input.value).toBe("05a4ce19-de3c-4d2c-a464-7356dbdbd107");
  });

  it("keeps what the person typed, or emptied, when that link arrives after it", async () => {
    fake = new FakeBackend();
    fake.handedInfo = { ...fake.info, link: null };
    fake.holdAppInfoBack();
    setBackend(fake);
    render(App);
    const input = (await screen.findByTestId("link-input")) as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "typed by the person" } });
    await fireEvent.input(input, { target: { value: "" } });
    fake.releaseAppInfo();
    await settle();
    expect(input.value).toBe("");
  });

  it("refuses text with no key before asking the app, and shows the app's refusal translated", async () => {
    await start({ link: null, demo: false, mode: "laptop" });
    const input = screen.getByTestId("link-input");
    await fireEvent.input(input, { target: { value: "hello" } });
    await fireEvent.click(screen.getByTestId("open-link"));
    expect(fake.called("openLink")).toHaveLength(0);
    expect(screen.getByText(/does not look like a link/)).toBeTruthy();

    fake.refusals.set("openLink", { code: "invalid-key", message: "The link is not valid" });
    await fireEvent.input(input, { target: { value: "https://bank.example/x/05a4ce19-de3c-4d2c-a464-7356dbdbd107/y/z" } });
    await fireEvent.click(screen.getByTestId("open-link"));
    await settle();
    expect(screen.getByTestId("error").textContent).toContain("not a valid link from the bank");
  });

  it("switches language on the spot", async () => {
    await start();
    await fireEvent.click(screen.getByTestId("language-ru"));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Идентификация");
    await fireEvent.click(screen.getByTestId("language-tg"));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Идентификатсия");
    expect(document.documentElement.lang).toBe("tg");
  });
});

describe("document choice", () => {
  it("asks for the taxpayer number only when the box is ticked, with live validation", async () => {
    await start();
    fake.state({ state: "choosingDocument", offersTaxNumber: true });
    await settle();
    expect(screen.queryByTestId("tin-missing")).toBeNull();
    await fireEvent.click(screen.getByTestId("document-new"));
    await fireEvent.click(screen.getByTestId("tin-missing"));
    const tin = screen.getByTestId("tin-input") as HTMLInputElement;
    await fireEvent.input(tin, { target: { value: "12a34" } });
    expect(tin.value).toBe("1234");
    expect(screen.getByTestId("tin-help").textContent).toContain("4 of 9 digits");
    await fireEvent.click(screen.getByTestId("document-continue"));
    expect(fake.called("chooseDocument")).toHaveLength(0);
    await fireEvent.input(tin, { target: { value: "020025789" } });
    expect(screen.getByTestId("tin-help").textContent).toContain("complete");
    await fireEvent.click(screen.getByTestId("document-continue"));
    expect(fake.called("chooseDocument")[0]!.args).toEqual(["new", "020025789"]);
  });

  it("sends the old passport with no number", async () => {
    await start();
    fake.state({ state: "choosingDocument", offersTaxNumber: true });
    await settle();
    await fireEvent.click(screen.getByTestId("document-old"));
    expect(screen.queryByTestId("tin-missing")).toBeNull();
    await fireEvent.click(screen.getByTestId("document-continue"));
    expect(fake.called("chooseDocument")[0]!.args).toEqual(["old", null]);
  });
});

describe("camera step", () => {
  it("shows the checks' hints and the shutter, and the reasons for a refusal", async () => {
    await start();
    fake.state({ state: "awaitingInput", step: front });
    fake.emit({
      type: "camera",
      data: { purpose: "document", stepIndex: 0, status: { state: "streaming" }, source: "Synthetic", hints: ["too-dark", "glare"], ready: false, autoCapture: true, refused: ["blurry"], review: null },
    });
    await settle();
    expect(screen.getByTestId("step-title").textContent).toBe("ID card — front side");
    expect(screen.getByTestId("hints").textContent).toContain("Too dark");
    expect(screen.getByTestId("hints").textContent).toContain("Glare on the document");
    // A refusal is a list under its own line, never hint sentences glued after a colon.
    const refused = screen.getByTestId("refused");
    expect(refused.getAttribute("role")).toBe("alert");
    expect(refused.querySelector("p")!.textContent).toBe("The photo was not taken:");
    expect([...refused.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Blurred: hold still."]);
    expect(refused.textContent).toContain("press “Take photo” again");
    await fireEvent.click(screen.getByTestId("take-photo"));
    expect(fake.called("takePhoto")).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("auto-capture"));
    expect(fake.called("setAutoCapture")[0]!.args).toEqual([false]);
  });

  it("offers a photo file on a laptop, never at a kiosk", async () => {
    const streaming = {
      type: "camera" as const,
      data: { purpose: "document" as const, stepIndex: 0, status: { state: "streaming" as const }, source: "Synthetic", hints: [], ready: true, autoCapture: true, refused: [], review: null },
    };
    await start({ demo: false, mode: "laptop" });
    fake.state({ state: "awaitingInput", step: front });
    fake.emit(streaming);
    await settle();
    expect(screen.queryByTestId("photo-file")).toBeTruthy();
    document.body.replaceChildren();
    app.clear();

    await start({ kiosk: true, mode: "kiosk", demo: false });
    fake.state({ state: "awaitingInput", step: front });
    fake.emit(streaming);
    await settle();
    expect(screen.getByTestId("take-photo")).toBeTruthy();
    expect(screen.queryByTestId("photo-file")).toBeNull();
  });

  it("switches to a camera on the app's list, sending back the id it came with", async () => {
    await start();
    const usb: CameraOption = { id: { kind: "device", index: 2 }, label: "USB camera", selected: false, synthetic: false };
    fake.cameraOptions = [{ id: { kind: "synthetic" }, label: "Demo camera", selected: true, synthetic: true }, usb];
    fake.state({ state: "awaitingInput", step: front });
    fake.emit({
      type: "camera",
      data: { purpose: "document", stepIndex: 0, status: { state: "streaming" }, source: "Synthetic", hints: [], ready: false, autoCapture: true, refused: [], review: null },
    });
    await settle();
    const picker = screen.getByTestId("camera-picker") as HTMLSelectElement;
    expect([...picker.options].map((option) => option.textContent)).toEqual(["Demo camera", "USB camera"]);
    expect(picker.selectedOptions[0]!.textContent).toBe("Demo camera");
    await fireEvent.change(picker, { target: { value: picker.options[1]!.value } });
    expect(fake.called("chooseCamera")).toHaveLength(1);
    expect(fake.called("chooseCamera")[0]!.args[0]).toBe(usb.id);
  });

  it("explains a missing camera and offers the photo file", async () => {
    await start();
    fake.state({ state: "awaitingInput", step: front });
    fake.emit({
      type: "camera",
      data: {
        purpose: "document",
        stepIndex: 0,
        status: { state: "interrupted", error: { code: "no-camera", message: "No camera" }, mayRecover: false },
        source: null,
        hints: [],
        ready: false,
        autoCapture: true,
        refused: [],
        review: null,
      },
    });
    await settle();
    expect(screen.getByTestId("camera-trouble").textContent).toContain("No camera found");
    expect(screen.queryByTestId("take-photo")).toBeNull();
    expect(screen.getByTestId("choose-file")).toBeTruthy();

    // Still none plugged in: "try again" has nothing to start, and says so.
    fake.cameraOptions = [];
    expect(screen.queryByTestId("camera-still-none")).toBeNull();
    await fireEvent.click(screen.getByTestId("camera-retry"));
    await settle();
    expect(screen.getByTestId("camera-still-none").textContent).toContain("Still no camera found");
    expect(fake.called("chooseCamera")).toHaveLength(0);

    // Plugged in: it is started, and the notice goes.
    const usb: CameraOption = { id: { kind: "device", index: 0 }, label: "USB camera", selected: false, synthetic: false };
    fake.cameraOptions = [usb];
    await fireEvent.click(screen.getByTestId("camera-retry"));
    await settle();
    expect(fake.called("chooseCamera")[0]!.args[0]).toBe(usb.id);
    expect(screen.queryByTestId("camera-still-none")).toBeNull();
  });

  it("reviews the still, then uses it or takes it again", async () => {
    await start();
    fake.state({ state: "awaitingInput", step: front });
    fake.emit({
      type: "camera",
      data: { purpose: "document", stepIndex: 0, status: { state: "starting" }, source: null, hints: [], ready: false, autoCapture: true, refused: [], review: { id: 7, width: 1920, height: 1080, warnings: ["glare"], fromFile: false } },
    });
    await settle();
    expect((screen.getByTestId("still") as HTMLImageElement).src).toBe("preview://localhost/still?id=7");
    expect(screen.getByRole("status").textContent).toContain("Glare");
    await fireEvent.click(screen.getByTestId("retake"));
    await fireEvent.click(screen.getByTestId("use-photo"));
    expect(fake.calls.map((c) => c.name).slice(-2)).toEqual(["retake", "usePhoto"]);
  });

  it("asks about the document for a page, and about the face for the selfie", async () => {
    const still = (stepIndex: number) => ({
      type: "camera" as const,
      data: { purpose: "document" as const, stepIndex, status: { state: "starting" as const }, source: null, hints: [], ready: false, autoCapture: true, refused: [], review: { id: 7, width: 640, height: 480, warnings: [], fromFile: false } },
    });
    await start();
    fake.state({ state: "awaitingInput", step: front });
    fake.emit(still(0));
    await settle();
    expect(screen.getByText(/Is the whole document in the photo/).textContent).toContain("ID card — front side");
    const selfie: StepView = { index: 3, total: 4, id: "selfie", label: "selfie", kind: "selfie", document: null };
    fake.state({ state: "awaitingInput", step: selfie });
    fake.emit(still(3));
    await settle();
    const intro = document.querySelector(".review .camera-intro")!.textContent!;
    expect(intro).toContain("Is your whole face in the photo");
    expect(intro).not.toContain("document");
  });
});

describe("waiting, results and refusals", () => {
  it("shows the task's live status while the bank checks", async () => {
    await start();
    fake.state({ state: "processing", step: front, taskId: "11" });
    fake.emit({ type: "flow", data: { event: "taskProgress", step: front, taskId: "11", progress: { kind: "status", status: "SENT", attempt: 2, elapsedMs: 2000 } } });
    await settle();
    expect(screen.getByTestId("task-status").textContent).toContain("Check 2");
    expect(screen.getByTestId("task-status").textContent).toContain("received, waiting in line");
    fake.emit({ type: "flow", data: { event: "taskProgress", step: front, taskId: "11", progress: { kind: "failed", attempt: 3, consecutive: 1, error: network, elapsedMs: 3000 } } });
    await settle();
    expect(screen.getByTestId("connection-trouble").textContent).toContain("Connection trouble (1)");
  });

  it("labels what the bank read", async () => {
    await start();
    fake.state({ state: "stepAccepted", result: { step: front, result: { surname: "RAHIMOV", side: "front", scanner: "v2" } } });
    await settle();
    const result = screen.getByTestId("result");
    expect(result.textContent).toContain("Surname");
    expect(result.textContent).toContain("RAHIMOV");
    expect(result.textContent).toContain("scanner");
    expect(result.textContent).not.toContain("side");
    await fireEvent.click(screen.getByTestId("continue"));
    expect(fake.called("continueFlow")).toHaveLength(1);
  });

  it("shows the bank's reason for a refusal and offers to take the photo again", async () => {
    await start();
    fake.state({ state: "stepRejected", step: front, reason: "The photo is blurred.", result: {} });
    await settle();
    expect(screen.getByTestId("reject-reason").textContent).toBe("The photo is blurred.");
    await fireEvent.click(screen.getByTestId("retake"));
    expect(fake.called("retake")).toHaveLength(1);
  });

  it("counts down to the automatic retry after a network failure, and keeps the photo", async () => {
    await start();
    fake.state({ state: "stepInterrupted", step: front, error: network, taskId: null });
    fake.emit({ type: "autoRetry", data: { attempt: 1, inMs: 4000 } });
    await settle();
    expect(screen.getByTestId("auto-retry").textContent).toMatch(/Trying again by itself in [34] s/);
    expect(screen.getByText(/nothing needs to be taken again/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId("retry"));
    expect(fake.called("retry")).toHaveLength(1);
  });
});

describe("demo panel", () => {
  it("offers a failed liveness check only when LUNA PASS takes the selfie", async () => {
    await start();
    expect(screen.getByTestId("demo-heal")).toBeTruthy();
    expect(screen.queryByTestId("demo-failNextLivenessCheck")).toBeNull();
    document.body.replaceChildren();
    app.clear();

    await start({ selfie: { kind: "lunaPass" } });
    await fireEvent.click(screen.getByTestId("demo-failNextLivenessCheck"));
    expect(fake.called("demoFault")[0]!.args).toEqual(["failNextLivenessCheck"]);
  });
});

describe("done", () => {
  it("offers the bank's page on a laptop", async () => {
    await start({ demo: false, mode: "laptop" });
    fake.state({ state: "done", homePage: "humoOnline://app", results: [] });
    await settle();
    await fireEvent.click(screen.getByTestId("home-page"));
    expect(fake.called("openHomePage")).toHaveLength(1);
  });

  it("counts down to the next client at a kiosk, with no way out of the app", async () => {
    await start({ kiosk: true, mode: "kiosk" });
    fake.state({ state: "done", homePage: "humoOnline://app", results: [] });
    fake.emit({ type: "kioskReset", data: { inMs: 20000, reason: "finished" } });
    await settle();
    expect(screen.queryByTestId("home-page")).toBeNull();
    expect(screen.getByTestId("kiosk-countdown").textContent).toMatch(/in (19|20) s/);
    await fireEvent.click(screen.getByTestId("finish"));
    expect(fake.called("reset")).toHaveLength(1);
  });
});
