// The Tauri implementation of `Backend`: commands over IPC, events over one Channel, preview
// frames pulled as raw bytes from the `preview` protocol.

import { Channel, convertFileSrc, invoke } from "@tauri-apps/api/core";
import type { AppEvent } from "../bindings/AppEvent";
import type { AppInfo } from "../bindings/AppInfo";
import type { CameraId } from "../bindings/CameraId";
import type { CameraOption } from "../bindings/CameraOption";
import type { DemoFault } from "../bindings/DemoFault";
import type { DocumentKind } from "../bindings/DocumentKind";
import type { Language } from "../bindings/Language";
import type { LunaPassView } from "../bindings/LunaPassView";
import { toBackendError, type Backend, type PreviewFrame } from "./backend";
import { record } from "./received";

async function call<T>(command: string, args?: Record<string, unknown> | Uint8Array): Promise<T> {
  try {
    const answer = await invoke<T>(command, args);
    record(answer);
    return answer;
  } catch (error) {
    record(error);
    throw toBackendError(error);
  }
}

/** The preview protocol's address of `path` (`preview://localhost/…`, or on Windows
 * `http://preview.localhost/…`). */
const previewUrl = (path: string) => convertFileSrc(path, "preview");

export const tauriBackend: Backend = {
  appInfo: () => call<AppInfo>("app_info"),
  async subscribe(onEvent) {
    const channel = new Channel<AppEvent>();
    channel.onmessage = (event) => {
      record(event);
      onEvent(event);
    };
    await call("subscribe", { channel });
  },
  openLink: (text) => call("open_link", { text }),
  chooseDocument: (kind: DocumentKind, taxNumber) => call("choose_document", { kind, taxNumber }),
  scanCode: (on) => call("scan_code", { on }),
  takePhoto: () => call("take_photo"),
  setAutoCapture: (on) => call("set_auto_capture", { on }),
  usePhoto: () => call("use_photo"),
  retake: () => call("retake"),
  usePhotoFile: (bytes) => call("use_photo_file", bytes),
  showLunaPass: (language: Language) => call("show_luna_pass", { language }),
  async lunaPassFeed(onView) {
    const channel = new Channel<LunaPassView | null>();
    channel.onmessage = (view) => {
      record(view);
      onView(view);
    };
    await call("luna_pass_feed", { channel });
  },
  lunaPassResult: (jwt) => call("luna_pass_result", { jwt }),
  cameras: () => call<CameraOption[]>("cameras"),
  chooseCamera: (id: CameraId) => call("choose_camera", { id }),
  retry: () => call("retry"),
  continueFlow: () => call("continue_flow"),
  back: () => call("back"),
  cancel: () => call("cancel"),
  reset: () => call("reset"),
  activity: () => call("activity"),
  openHomePage: () => call("open_home_page"),
  demoFault: (fault: DemoFault) => call("demo_fault", { fault }),
  async nextFrame(after): Promise<PreviewFrame | null> {
    const response = await fetch(`${previewUrl("frame")}?after=${after}`);
    if (response.status !== 200) return null;
    return {
      sequence: Number(response.headers.get("x-frame-sequence") ?? 0),
      capturedAtMs: Number(response.headers.get("x-captured-at") ?? 0),
      width: Number(response.headers.get("x-frame-width") ?? 16),
      height: Number(response.headers.get("x-frame-height") ?? 9),
      jpeg: await response.blob(),
    };
  },
  stillUrl: (id) => `${previewUrl("still")}?id=${id}`,
};
