// The preview benchmark's calls (`#bench` page only): marking the start of the measurement,
// reporting it, and, for comparison, the naive transport's base64 frames in events.

import type { BenchReport } from "../bindings/BenchReport";
import { invokeCommand } from "./commands";
import { listen } from "@tauri-apps/api/event";
import type { PreviewFrame } from "./backend";

export type { BenchReport } from "../bindings/BenchReport";

interface NaiveFrame {
  sequence: number;
  capturedAtMs: number;
  jpegBase64: string;
}

export const benchBackend = {
  mark: () => invokeCommand("bench_mark", null),
  report: (report: BenchReport) => invokeCommand("bench_report", { report }),
  /** Every frame as the naive transport delivers it: base64 text decoded to bytes. */
  async onNaiveFrame(handler: (frame: PreviewFrame) => void): Promise<() => void> {
    return listen<NaiveFrame>("preview-frame", (event) => {
      const text = atob(event.payload.jpegBase64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      handler({
        sequence: event.payload.sequence,
        capturedAtMs: event.payload.capturedAtMs,
        width: 1280,
        height: 720,
        jpeg: new Blob([bytes], { type: "image/jpeg" }),
      });
    });
  },
};
