// Which screen shows, decided from what the app said and nothing else. Each id is its
// component's name in `screens/`, in lowerCamel case (`documentChoice` is DocumentChoice.svelte).

import type { AppInfo } from "./bindings/AppInfo";
import type { CameraView } from "./bindings/CameraView";
import type { FlowState } from "./bindings/FlowState";
import type { LunaPassView } from "./bindings/LunaPassView";

/** The wizard page's screens. The LUNA PASS webview has one, `lunaPass` (LunaPass.svelte). */
export const SCREENS = [
  "start",
  "scanning",
  "openingLink",
  "linkFailed",
  "documentChoice",
  "cameraStep",
  "review",
  "selfieUnavailable",
  "lunaPassOpening",
  "lunaPassWindow",
  "waiting",
  "accepted",
  "rejected",
  "interrupted",
  "expired",
  "done",
] as const;

export type Screen = (typeof SCREENS)[number];

export function screenOf(
  flow: FlowState,
  camera: CameraView | null,
  info: AppInfo | null,
  lunaPass: LunaPassView | null = null,
): Screen {
  switch (flow.state) {
    case "awaitingLink":
    case "cancelled":
      return camera?.purpose === "code" ? "scanning" : "start";
    case "openingLink":
      return "openingLink";
    case "linkFailed":
      return "linkFailed";
    case "choosingDocument":
      return "documentChoice";
    case "awaitingInput":
      if (camera?.review && camera.stepIndex === flow.step.index) return "review";
      if (flow.step.kind === "selfie" && info) {
        if (info.selfie.kind === "unavailable") return "selfieUnavailable";
        // The LUNA PASS webview opens as soon as the app has let go of the camera.
        if (info.selfie.kind === "lunaPass") return lunaPass ? "lunaPassWindow" : "lunaPassOpening";
      }
      return "cameraStep";
    case "uploading":
    case "processing":
      return "waiting";
    case "stepAccepted":
      return "accepted";
    case "stepRejected":
      return "rejected";
    case "stepInterrupted":
      return "interrupted";
    case "expired":
      return "expired";
    case "done":
      return "done";
  }
}
