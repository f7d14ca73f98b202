// The preview benchmark's calls (`#bench` page only): marking the start of the measurement,
// reporting it, and, for comparison, the naive transport's base64 frames in events.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { PreviewFrame } from "./backend";

export interface BenchReport {
  seconds: number;
  framesDrawn: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Median time from asking for a frame to having its bytes (pull only). */
  fetchP50Ms: number;
  /** Median time to decode a frame. */
  decodeP50Ms: number;
}

interface NaiveFrame {
  sequence: number;
  capturedAtMs: number;
  jpegBase64: string;
}

export const benchBackend = {
  mark: () => invoke<number>("bench_mark"),
  report: (report: BenchReport) => invoke("bench_report", { report }),
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
