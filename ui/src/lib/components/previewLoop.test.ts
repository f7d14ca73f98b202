import { describe, expect, it } from "vitest";
import { startPreviewLoop } from "./previewLoop";

interface Frame {
  sequence: number;
}

/** A promise and the function that settles it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A camera side whose requests and draws finish only when the test says. */
function controlled() {
  const requests: { after: number; answer: (frame: Frame | null) => void }[] = [];
  const draws: { sequence: number; finish: () => void }[] = [];
  const parts = {
    next(after: number) {
      const { promise, resolve } = deferred<Frame | null>();
      requests.push({ after, answer: resolve });
      return promise;
    },
    draw(frame: Frame) {
      const { promise, resolve } = deferred<void>();
      draws.push({ sequence: frame.sequence, finish: resolve });
      return promise;
    },
  };
  return { parts, requests, draws };
}

describe("the preview's pull loop", () => {
  it("asks for the next frame while the last one is still being drawn", async () => {
    const { parts, requests, draws } = controlled();
    const stop = startPreviewLoop(parts);
    await settle();
    expect(requests.map((r) => r.after)).toEqual([0]);

    requests[0]!.answer({ sequence: 1 });
    await settle();
    // Frame 1 is being drawn, and frame 2 is already asked for.
    expect(draws.map((d) => d.sequence)).toEqual([1]);
    expect(requests.map((r) => r.after)).toEqual([0, 1]);
    stop();
  });

  it("draws only the newest frame that arrived during a draw", async () => {
    const { parts, requests, draws } = controlled();
    const stop = startPreviewLoop(parts);
    await settle();
    requests[0]!.answer({ sequence: 1 });
    await settle();
    // Frames 2 and 3 arrive while frame 1 is still drawn: 2 is never drawn.
    requests[1]!.answer({ sequence: 2 });
    await settle();
    requests[2]!.answer({ sequence: 3 });
    await settle();
    expect(draws.map((d) => d.sequence)).toEqual([1]);
    draws[0]!.finish();
    await settle();
    expect(draws.map((d) => d.sequence)).toEqual([1, 3]);
    expect(requests.at(-1)!.after).toBe(3);
    stop();
  });

  it("skips a frame that cannot be drawn and draws the next", async () => {
    const { parts, requests, draws } = controlled();
    const failing = { ...parts, draw: (frame: Frame) => (frame.sequence === 1 ? Promise.reject(new Error("corrupt")) : parts.draw(frame)) };
    const stop = startPreviewLoop(failing);
    await settle();
    requests[0]!.answer({ sequence: 1 });
    await settle();
    requests[1]!.answer({ sequence: 2 });
    await settle();
    expect(draws.map((d) => d.sequence)).toEqual([2]);
    stop();
  });

  it("asks again after no frame, and stops asking once stopped", async () => {
    const { parts, requests, draws } = controlled();
    const stop = startPreviewLoop(parts);
    await settle();
    requests[0]!.answer(null);
    await settle();
    expect(requests.map((r) => r.after)).toEqual([0, 0]);
    stop();
    requests[1]!.answer({ sequence: 1 });
    await settle();
    expect(requests).toHaveLength(2);
    expect(draws).toHaveLength(0);
  });
});
