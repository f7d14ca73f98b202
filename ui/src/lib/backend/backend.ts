// The one interface between the UI and the app. Every call to the shell goes through a
// `Backend`: the Tauri implementation in `tauri.ts` is the only module that imports
// `@tauri-apps/api`, so tests and a plain web build swap it for another.

import type { AppEvent } from "../bindings/AppEvent";
import type { AppInfo } from "../bindings/AppInfo";
import type { CameraId } from "../bindings/CameraId";
import type { CameraOption } from "../bindings/CameraOption";
import type { DemoFault } from "../bindings/DemoFault";
import type { DocumentKind } from "../bindings/DocumentKind";
import type { Language } from "../bindings/Language";
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

export interface Backend {
  appInfo(): Promise<AppInfo>;
  /** Streams every event, starting with the current state. */
  subscribe(onEvent: (event: AppEvent) => void): Promise<void>;
  openLink(text: string): Promise<void>;
  chooseDocument(kind: DocumentKind, taxNumber: string | null): Promise<void>;
  scanCode(on: boolean): Promise<void>;
  takePhoto(): Promise<void>;
  setAutoCapture(on: boolean): Promise<void>;
  usePhoto(): Promise<void>;
  retake(): Promise<void>;
  usePhotoFile(bytes: Uint8Array): Promise<void>;
  /** Opens the LUNA PASS webview (or brings it forward), in `language`. Wizard only. */
  showLunaPass(language: Language): Promise<void>;
  /** The LUNA PASS webview's one feed: the LUNA PASS screen now and on each change, `null`
   * once it closes. Nothing else reaches that webview. LUNA PASS webview only. */
  lunaPassFeed(onView: (view: LunaPassView | null) => void): Promise<void>;
  /** What the LUNA PASS library handed to `onSuccess`: its token, for the app to judge. LUNA
   * PASS webview only. */
  lunaPassResult(jwt: string): Promise<void>;
  cameras(): Promise<CameraOption[]>;
  /** Switches to a camera of `cameras()`, named by the id it came with. */
  chooseCamera(id: CameraId): Promise<void>;
  retry(): Promise<void>;
  continueFlow(): Promise<void>;
  back(): Promise<void>;
  cancel(): Promise<void>;
  reset(): Promise<void>;
  activity(): Promise<void>;
  openHomePage(): Promise<void>;
  demoFault(fault: DemoFault): Promise<void>;
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
