// The UI's picture of the app: the last of each kind of event, nothing more. The app owns the
// flow; this only remembers what it was told so the screens can render it.

import type { AppEvent } from "./bindings/AppEvent";
import type { AppInfo } from "./bindings/AppInfo";
import type { AutoRetryView } from "./bindings/AutoRetryView";
import type { CameraView } from "./bindings/CameraView";
import type { FlowState } from "./bindings/FlowState";
import type { KioskResetView } from "./bindings/KioskResetView";
import type { LunaPassView } from "./bindings/LunaPassView";
import type { Notice } from "./bindings/Notice";
import type { PollProgress } from "./bindings/PollProgress";
import type { BackendError } from "./backend";
import { screenOf, type Screen } from "./screen";

/** A countdown as told by the app, with the local time it was told at. */
export interface Countdown<T> {
  view: T;
  receivedAt: number;
}

export class AppState {
  info = $state<AppInfo | null>(null);
  flow = $state<FlowState>({ state: "awaitingLink" });
  /** When the current flow state began (local clock), for elapsed times. */
  since = $state(Date.now());
  progress = $state<PollProgress | null>(null);
  camera = $state<CameraView | null>(null);
  autoRetry = $state<Countdown<AutoRetryView> | null>(null);
  kioskReset = $state<Countdown<KioskResetView> | null>(null);
  notice = $state<Notice | null>(null);
  /** The LUNA PASS screen, once the app has let go of the camera. */
  lunaPass = $state<LunaPassView | null>(null);
  /** The last call the app refused, shown where it was made. */
  error = $state<BackendError | null>(null);

  screen: Screen = $derived(screenOf(this.flow, this.camera, this.info, this.lunaPass));

  /** Forgets everything (a new window, or a test). */
  clear(): void {
    this.info = null;
    this.flow = { state: "awaitingLink" };
    this.since = Date.now();
    this.progress = null;
    this.camera = null;
    this.autoRetry = null;
    this.kioskReset = null;
    this.notice = null;
    this.lunaPass = null;
    this.error = null;
  }

  apply(event: AppEvent, now = Date.now()): void {
    switch (event.type) {
      case "flow":
        if (event.data.event === "stateChanged") {
          if (event.data.state.state !== this.flow.state) {
            this.since = now;
            this.error = null;
          }
          if (!["uploading", "processing"].includes(event.data.state.state)) this.progress = null;
          this.flow = event.data.state;
        } else {
          this.progress = event.data.progress;
        }
        break;
      case "camera":
        this.camera = event.data;
        break;
      case "autoRetry":
        this.autoRetry = event.data ? { view: event.data, receivedAt: now } : null;
        break;
      case "kioskReset":
        this.kioskReset = event.data ? { view: event.data, receivedAt: now } : null;
        break;
      case "notice":
        this.notice = event.data;
        break;
      case "lunaPass":
        this.lunaPass = event.data;
        break;
    }
  }
}

/** Milliseconds left of a countdown at `now`. */
export function remainingMs(countdown: Countdown<{ inMs: number }> | null, now: number): number {
  if (!countdown) return 0;
  return Math.max(0, countdown.view.inMs - (now - countdown.receivedAt));
}

export const app = new AppState();
