// The one interface between the UI and the app. Every call to the shell goes through a
// `Backend`: the Tauri implementation in `tauri.ts` is the only module that imports
// `@tauri-apps/api`, so tests and a plain web build swap it for another.

import type { AppEvent } from "../bindings/AppEvent";
import type { AppInfo } from "../bindings/AppInfo";
import type { AppCommands } from "../bindings/commands";
import type { LunaPassView } from "../bindings/LunaPassView";

/** A preview frame: the camera's JPEG, its picture's size, and when it was captured (ms since
 * the Unix epoch). */
export interface PreviewFrame {
  sequence: number;
  capturedAtMs: number;
  width: number;
  height: number;
  jpeg: Blob;
}

/** How a call was refused: a code to translate by and an English message. */
export interface BackendError {
  code: string;
  message: string;
}

/** The app's commands as Rust declares them (`AppCommands`, generated), except that the two
 * feeds take a callback instead of a channel; and the preview's frames and stills, which come
 * over the `preview` protocol. */
export interface Backend extends Omit<AppCommands, "subscribe" | "lunaPassFeed"> {
  /** Streams every event, starting with the current state. */
  subscribe(onEvent: (event: AppEvent) => void): Promise<void>;
  /** The LUNA PASS webview's one feed: the LUNA PASS screen now and on each change, `null`
   * once it closes. Nothing else reaches that webview. LUNA PASS webview only. */
  lunaPassFeed(onView: (view: LunaPassView | null) => void): Promise<void>;
  /** The app's info as the shell handed it to the page with the page (without the link, which
   * only `appInfo` answers), so the first screen needs no round trip; null where none was. */
  startInfo(): AppInfo | null;
  /** The newest preview frame newer than `after`, or null when none came in time. */
  nextFrame(after: number): Promise<PreviewFrame | null>;
  /** Where the still under review with this id is served. */
  stillUrl(id: number): string;
}

/** Reads a refusal, whatever shape it arrived in. */
export function toBackendError(error: unknown): BackendError {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code, message } = error as { code: unknown; message?: unknown };
    return { code: String(code), message: String(message ?? code) };
  }
  return { code: "unknown", message: String(error) };
}
