// A `Backend` for tests: records every call, answers from a script, and lets a test push the
// app's events as the real shell would.

import type { AppEvent } from "../bindings/AppEvent";
import type { AppInfo } from "../bindings/AppInfo";
import type { CameraId } from "../bindings/CameraId";
import type { CameraOption } from "../bindings/CameraOption";
import type { FlowState } from "../bindings/FlowState";
import type { LunaPassView } from "../bindings/LunaPassView";
import { appCommands, type AppCommands, type CommandCall } from "../bindings/commands";
import type { Backend, BackendError, PreviewFrame } from "../backend";

export const DEMO_INFO: AppInfo = {
  version: "0.1.0",
  mode: "demo",
  demo: true,
  kiosk: false,
  link: "05a4ce19-de3c-4d2c-a464-7356dbdbd107",
  systemLocale: "en-US",
  bankHost: "127.0.0.1",
  selfie: { kind: "local", remoteServer: false },
  idleResetMs: 90000,
};

export interface Call {
  name: string;
  args: unknown[];
}

/** `open_link` → `openLink`: the method a command is called through. */
const methodOf = (command: string) => command.replace(/_(.)/g, (_, letter: string) => letter.toUpperCase());

/** A command's arguments as the method took them, in order (a raw body by its length). */
function argsOf(args: unknown): unknown[] {
  if (args === null) return [];
  if (args instanceof Uint8Array) return [args.length];
  return Object.values(args as object);
}

// Every command the fake does not answer itself is recorded (below): a new command needs
// nothing here.
export interface FakeBackend extends Omit<AppCommands, "subscribe" | "lunaPassFeed"> {}

export class FakeBackend implements Backend {
  calls: Call[] = [];
  info: AppInfo;
  /** Calls that are refused, by name. */
  refusals = new Map<string, BackendError>();
  cameraOptions: CameraOption[] = [{ id: { kind: "synthetic" }, label: "Demo camera", selected: true, synthetic: true }];
  private listener: ((event: AppEvent) => void) | null = null;
  private feed: ((view: LunaPassView | null) => void) | null = null;

  constructor(info: Partial<AppInfo> = {}) {
    this.info = { ...DEMO_INFO, ...info };
    const record = ((command: string, args: unknown) => this.record(methodOf(command), ...argsOf(args))) as CommandCall;
    for (const [method, send] of Object.entries(appCommands(record))) {
      if (!(method in this)) Object.assign(this, { [method]: send });
    }
  }

  /** Delivers an event as the shell's channel would. */
  emit(event: AppEvent): void {
    this.listener?.(event);
  }

  state(state: FlowState): void {
    this.emit({ type: "flow", data: { event: "stateChanged", state } });
  }

  called(name: string): Call[] {
    return this.calls.filter((call) => call.name === name);
  }

  private async record(name: string, ...args: unknown[]): Promise<void> {
    this.calls.push({ name, args });
    const refusal = this.refusals.get(name);
    if (refusal) throw refusal;
  }

  /** What `startInfo` answers: none, unless a test hands the page its info as the shell does. */
  handedInfo: AppInfo | null = null;
  /** Holds `appInfo`'s answer back until released (`releaseAppInfo`), when set. */
  private appInfoHeld: (() => void) | null = null;
  private holdAppInfo = false;

  startInfo() {
    return this.handedInfo;
  }
  async appInfo() {
    if (this.holdAppInfo) await new Promise<void>((resolve) => (this.appInfoHeld = resolve));
    return this.info;
  }
  /** `appInfo` answers only once `releaseAppInfo` is called. */
  holdAppInfoBack(): void {
    this.holdAppInfo = true;
  }
  releaseAppInfo(): void {
    this.holdAppInfo = false;
    this.appInfoHeld?.();
  }
  async subscribe(onEvent: (event: AppEvent) => void) {
    this.listener = onEvent;
    this.state({ state: "awaitingLink" });
  }
  async lunaPassFeed(onView: (view: LunaPassView | null) => void) {
    this.feed = onView;
    await this.record("lunaPassFeed");
  }
  /** What the LUNA PASS webview was last fed, as the app would send it. */
  feedLunaPass(view: LunaPassView | null): void {
    this.feed?.(view);
  }
  async cameras() {
    return this.cameraOptions;
  }
  async nextFrame(): Promise<PreviewFrame | null> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return null;
  }
  stillUrl = (id: number) => `preview://localhost/still?id=${id}`;
}
