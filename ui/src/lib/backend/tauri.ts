// The Tauri implementation of `Backend`: commands over IPC, events over one Channel, preview
// frames pulled as raw bytes from the `preview` protocol.

import { Channel, convertFileSrc } from "@tauri-apps/api/core";
import type { AppEvent } from "../bindings/AppEvent";
import type { LunaPassView } from "../bindings/LunaPassView";
import { toBackendError, type Backend, type PreviewFrame } from "./backend";
import { invokeCommand, type CommandArgs, type CommandName, type CommandReply } from "./commands";
import { record } from "./received";

/** Calls a command; what it answers, or its error, is recorded for the end-to-end tests. */
async function call<K extends CommandName>(command: K, ...args: CommandArgs<K>): Promise<CommandReply<K>> {
  try {
    const answer = await invokeCommand(command, ...args);
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
  appInfo: () => call("app_info"),
  async subscribe(onEvent) {
    const channel = new Channel<AppEvent>();
    channel.onmessage = (event) => {
      record(event);
      onEvent(event);
    };
    await call("subscribe", { channel });
  },
  openLink: (text) => call("open_link", { text }),
  chooseDocument: (kind, taxNumber) => call("choose_document", { kind, taxNumber }),
  scanCode: (on) => call("scan_code", { on }),
  takePhoto: () => call("take_photo"),
  setAutoCapture: (on) => call("set_auto_capture", { on }),
  usePhoto: () => call("use_photo"),
  retake: () => call("retake"),
  usePhotoFile: (bytes) => call("use_photo_file", bytes),
  showLunaPass: (language) => call("show_luna_pass", { language }),
  async lunaPassFeed(onView) {
    const channel = new Channel<LunaPassView | null>();
    channel.onmessage = (view) => {
      record(view);
      onView(view);
    };
    await call("luna_pass_feed", { channel });
  },
  lunaPassResult: (jwt) => call("luna_pass_result", { jwt }),
  cameras: () => call("cameras"),
  chooseCamera: (id) => call("choose_camera", { id }),
  retry: () => call("retry"),
  continueFlow: () => call("continue_flow"),
  back: () => call("back"),
  cancel: () => call("cancel"),
  reset: () => call("reset"),
  activity: () => call("activity"),
  openHomePage: () => call("open_home_page"),
  demoFault: (fault) => call("demo_fault", { fault }),
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
