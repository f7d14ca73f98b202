// Which screen shows, decided from what the app said and nothing else.

import type { AppInfo } from "./bindings/AppInfo";
import type { CameraView } from "./bindings/CameraView";
import type { FlowState } from "./bindings/FlowState";

export type Screen =
  | "start"
  | "scanning"
  | "opening"
  | "linkFailed"
  | "document"
  | "camera"
  | "review"
  | "selfieUnavailable"
  | "faceCheck"
  | "waiting"
  | "accepted"
  | "rejected"
  | "interrupted"
  | "expired"
  | "done";

export function screenOf(flow: FlowState, camera: CameraView | null, info: AppInfo | null): Screen {
  switch (flow.state) {
    case "awaitingLink":
    case "cancelled":
      return camera?.purpose === "code" ? "scanning" : "start";
    case "openingLink":
      return "opening";
    case "linkFailed":
      return "linkFailed";
    case "choosingDocument":
      return "document";
    case "awaitingInput":
      if (camera?.review && camera.stepIndex === flow.step.index) return "review";
      if (flow.step.kind === "selfie" && info) {
        if (info.selfie.kind === "unavailable") return "selfieUnavailable";
        // The LUNA PASS page takes over as soon as the app has let go of the camera.
        if (info.selfie.kind === "lunaPass") return "faceCheck";
      }
      return "camera";
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
