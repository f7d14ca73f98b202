import { describe, expect, it } from "vitest";
import type { CameraView } from "./bindings/CameraView";
import type { StepView } from "./bindings/StepView";
import { SCREENS, screenOf } from "./screen";
import { DEMO_INFO } from "./testing/fakeBackend";

const front: StepView = { index: 0, total: 4, id: "front", label: "front side", kind: "documentPage", document: "new" };
const selfie: StepView = { index: 2, total: 4, id: "selfie", label: "selfie", kind: "selfie", document: null };

function camera(partial: Partial<CameraView> = {}): CameraView {
  return {
    purpose: "document",
    stepIndex: 0,
    status: { state: "streaming" },
    source: null,
    hints: [],
    ready: false,
    autoCapture: true,
    refused: [],
    review: null,
    ...partial,
  };
}

describe("the screens", () => {
  it("are the components of the same name, and nothing else is", () => {
    const files = Object.keys(import.meta.glob("./screens/*.svelte"));
    const components = files.map((file) => file.slice("./screens/".length, -".svelte".length));
    // The LUNA PASS webview's one screen, besides the wizard's.
    const ids = [...SCREENS, "lunaPass"].map((id) => id[0]!.toUpperCase() + id.slice(1));
    expect(components.sort()).toEqual(ids.sort());
  });
});

describe("screenOf", () => {
  it("shows the start screen, or the scanner while the camera reads a QR code", () => {
    expect(screenOf({ state: "awaitingLink" }, null, DEMO_INFO)).toBe("start");
    expect(screenOf({ state: "awaitingLink" }, camera({ purpose: "code", stepIndex: null }), DEMO_INFO)).toBe("scanning");
    expect(screenOf({ state: "cancelled" }, null, DEMO_INFO)).toBe("start");
  });

  it("shows the live camera, then the review of the still of the same step", () => {
    const awaiting = { state: "awaitingInput" as const, step: front };
    expect(screenOf(awaiting, camera(), DEMO_INFO)).toBe("cameraStep");
    const review = { id: 3, width: 1920, height: 1080, warnings: [], fromFile: false };
    expect(screenOf(awaiting, camera({ review }), DEMO_INFO)).toBe("review");
    expect(screenOf(awaiting, camera({ review, stepIndex: 1 }), DEMO_INFO)).toBe("cameraStep");
  });

  it("explains that the selfie cannot be taken when the local liveness check is not allowed, and waits for the LUNA PASS webview", () => {
    const awaiting = { state: "awaitingInput" as const, step: selfie };
    expect(screenOf(awaiting, null, DEMO_INFO)).toBe("cameraStep");
    const unavailable = { kind: "unavailable", reason: "localNotAllowed" } as const;
    expect(screenOf(awaiting, null, { ...DEMO_INFO, selfie: unavailable })).toBe("selfieUnavailable");
    expect(screenOf(awaiting, null, { ...DEMO_INFO, selfie: { kind: "lunaPass" } })).toBe("lunaPassOpening");
    const view = {
      stepIndex: 2,
      scriptUrl: "https://lp.bank.example/luna-pass.js",
      wsUrl: "wss://lp.bank.example/ws",
      scriptIntegrity: null,
      readyTimeoutMs: 1000,
      checkTimeoutMs: 1000,
      failedChecks: 0,
      errors: [],
    };
    expect(screenOf(awaiting, null, { ...DEMO_INFO, selfie: { kind: "lunaPass" } }, view)).toBe("lunaPassWindow");
  });

  it("maps every waiting, refusal and end state to its screen", () => {
    const error = { code: "network" as const, kind: "unavailable" as const, message: "x" };
    expect(screenOf({ state: "openingLink" }, null, DEMO_INFO)).toBe("openingLink");
    expect(screenOf({ state: "linkFailed", error, retryable: true }, null, DEMO_INFO)).toBe("linkFailed");
    expect(screenOf({ state: "choosingDocument", offersTaxNumber: true }, null, DEMO_INFO)).toBe("documentChoice");
    expect(screenOf({ state: "uploading", step: front }, null, DEMO_INFO)).toBe("waiting");
    expect(screenOf({ state: "processing", step: front, taskId: "7" }, null, DEMO_INFO)).toBe("waiting");
    expect(screenOf({ state: "stepAccepted", result: { step: front, result: {} } }, null, DEMO_INFO)).toBe("accepted");
    expect(screenOf({ state: "stepRejected", step: front, reason: "blur", result: {} }, null, DEMO_INFO)).toBe("rejected");
    expect(screenOf({ state: "stepInterrupted", step: front, error, taskId: null }, null, DEMO_INFO)).toBe("interrupted");
    expect(screenOf({ state: "expired", error }, null, DEMO_INFO)).toBe("expired");
    expect(screenOf({ state: "done", homePage: null, results: [] }, null, DEMO_INFO)).toBe("done");
  });
});
