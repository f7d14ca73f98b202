// The preview's pull loop, apart from the canvas so that its two rules can be tested:
// the next frame is asked for as soon as one arrives, while that one is drawn (a round trip never
// waits on a draw); and only the newest frame that has arrived is drawn (one that arrives during a
// draw replaces any still waiting, so a slow screen skips frames instead of queueing them).

/** What the loop needs: a frame newer than `after` (or null, then it asks again), and a draw. */
export interface PreviewLoopParts<F extends { sequence: number }> {
  next(after: number): Promise<F | null>;
  draw(frame: F): Promise<void>;
}

/** Starts pulling and drawing; the function returned stops both. */
export function startPreviewLoop<F extends { sequence: number }>(parts: PreviewLoopParts<F>): () => void {
  let running = true;
  /** The newest frame that has arrived and is not drawn yet. */
  let waiting: F | null = null;
  let drawing = false;

  const drawWaiting = async () => {
    drawing = true;
    while (running && waiting) {
      const frame = waiting;
      waiting = null;
      try {
        await parts.draw(frame);
      } catch {
        // A frame that cannot be drawn is skipped; the next one follows.
      }
    }
    drawing = false;
  };

  (async () => {
    let after = 0;
    while (running) {
      const frame = await parts.next(after);
      if (!running) break;
      if (!frame) continue;
      after = frame.sequence;
      waiting = frame;
      if (!drawing) void drawWaiting();
    }
  })();
  return () => {
    running = false;
  };
}
