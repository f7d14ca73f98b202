// The Tauri implementation of `Backend`: commands over IPC, events over one Channel, preview
// frames pulled as raw bytes from the `preview` protocol.

import { Channel, convertFileSrc } from "@tauri-apps/api/core";
import type { AppEvent } from "../bindings/AppEvent";
import type { AppInfo } from "../bindings/AppInfo";
import { appCommands, type CommandCall } from "../bindings/commands";
import type { LunaPassView } from "../bindings/LunaPassView";
import { toBackendError, type Backend, type PreviewFrame } from "./backend";
import { invokeCommand } from "./commands";
import { record } from "./received";

/** Sends a command; what it answers, or its error, is recorded for the end-to-end tests. */
const call: CommandCall = async (command, args) => {
  try {
    const answer = await invokeCommand(command, args);
    record(answer);
    return answer;
  } catch (error) {
    record(error);
    throw toBackendError(error);
  }
};

/** Every command of the app's, as generated from Rust. */
const commands = appCommands(call);

/** The preview protocol's address of `path` (`preview://localhost/…`, or on Windows
 * `http://preview.localhost/…`). */
const previewUrl = (path: string) => convertFileSrc(path, "preview");

export const tauriBackend: Backend = {
  ...commands,
  async subscribe(onEvent) {
    const channel = new Channel<AppEvent>();
    channel.onmessage = (event) => {
      record(event);
      onEvent(event);
    };
    await commands.subscribe(channel);
  },
  async lunaPassFeed(onView) {
    const channel = new Channel<LunaPassView | null>();
    channel.onmessage = (view) => {
      record(view);
      onView(view);
    };
    await commands.lunaPassFeed(channel);
  },
  // Set by the shell's initialization script (src-tauri/src/start_info.rs).
  startInfo: () => (window as { __HUMO_IDENT_START_INFO__?: AppInfo }).__HUMO_IDENT_START_INFO__ ?? null,
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
