// The Tauri backend sends each call as the command and arguments the shell expects.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { tauriBackend } from "./tauri";
import { received } from "./received";

afterEach(() => clearMocks());

describe("tauriBackend", () => {
  it("maps calls to the shell's commands", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((command, args) => {
      seen.push([command, args]);
      return null;
    });
    await tauriBackend.openLink("key");
    await tauriBackend.chooseDocument("new", "020025789");
    await tauriBackend.scanCode(true);
    await tauriBackend.chooseCamera({ kind: "device", index: 1 });
    await tauriBackend.demoFault("dropConnection");
    await tauriBackend.continueFlow();
    await tauriBackend.lunaPassResult("h.p.s");
    expect(seen).toEqual([
      ["open_link", { text: "key" }],
      ["choose_document", { kind: "new", taxNumber: "020025789" }],
      ["scan_code", { on: true }],
      ["choose_camera", { id: { kind: "device", index: 1 } }],
      ["demo_fault", { fault: "dropConnection" }],
      ["continue_flow", {}],
      ["luna_pass_result", { jwt: "h.p.s" }],
    ]);
  });

  it("reads the info the shell handed the page, and none where it handed none", () => {
    const global = window as { __HUMO_IDENT_START_INFO__?: unknown };
    expect(tauriBackend.startInfo()).toBeNull();
    const info = { version: "1.2.3", link: null };
    global.__HUMO_IDENT_START_INFO__ = info;
    try {
      expect(tauriBackend.startInfo()).toBe(info);
    } finally {
      delete global.__HUMO_IDENT_START_INFO__;
    }
  });

  it("sends a photo file as raw bytes, not JSON", async () => {
    let body: unknown;
    mockIPC((command, args) => {
      if (command === "use_photo_file") body = args;
      return null;
    });
    await tauriBackend.usePhotoFile(new Uint8Array([0xff, 0xd8, 0xff]));
    expect(body).toBeInstanceOf(Uint8Array);
    expect(Array.from(body as Uint8Array)).toEqual([0xff, 0xd8, 0xff]);
  });

  it("turns a refusal into a code and message, and logs what arrived", async () => {
    mockIPC(() => {
      throw { code: "link-not-found", message: "This link was not found." };
    });
    await expect(tauriBackend.openLink("x")).rejects.toEqual({ code: "link-not-found", message: "This link was not found." });
    expect(received().at(-1)).toContain("link-not-found");
  });
});
