import { describe, expect, it } from "vitest";
import { AppState, remainingMs } from "./state.svelte";

describe("AppState", () => {
  it("keeps the last of each event and times the current state", () => {
    const state = new AppState();
    state.apply({ type: "flow", data: { event: "stateChanged", state: { state: "openingLink" } } }, 1000);
    expect(state.flow.state).toBe("openingLink");
    expect(state.since).toBe(1000);
    state.apply({ type: "flow", data: { event: "stateChanged", state: { state: "openingLink" } } }, 5000);
    expect(state.since).toBe(1000);
    state.apply({ type: "autoRetry", data: { attempt: 2, inMs: 4000 } }, 2000);
    expect(remainingMs(state.autoRetry, 3000)).toBe(3000);
    expect(remainingMs(state.autoRetry, 9000)).toBe(0);
    state.apply({ type: "autoRetry", data: null });
    expect(state.autoRetry).toBeNull();
  });

  it("keeps task progress only while a step is being sent or checked", () => {
    const state = new AppState();
    const step = { index: 0, total: 4, id: "front", label: "front side", kind: "documentPage" as const, document: "new" as const };
    state.apply({ type: "flow", data: { event: "stateChanged", state: { state: "processing", step, taskId: "1" } } });
    state.apply({
      type: "flow",
      data: { event: "taskProgress", step, taskId: "1", progress: { kind: "status", status: "SENT", attempt: 1, elapsedMs: 1000 } },
    });
    expect(state.progress).toEqual({ kind: "status", status: "SENT", attempt: 1, elapsedMs: 1000 });
    state.apply({ type: "flow", data: { event: "stateChanged", state: { state: "stepAccepted", result: { step, result: {} } } } });
    expect(state.progress).toBeNull();
    expect(state.screen).toBe("accepted");
  });
});
