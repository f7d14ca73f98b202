// LUNA PASS's reasons, as the person reads them. The vendor's exact words are not published, so
// known words are recognised by their stem; the local provider's camera hints pass through;
// anything else is shown as it came.

import { LOCAL_LIVENESS_ISSUES } from "../bindings/liveness";

// The more particular stems come first: `EYEGLASSES` is about glasses, `EYES_CLOSED` about the
// eyes, not the distance, and `NO_FACES` means none, not several. The keys are ours
// (`lunaPass.reasons.*`); the stems are the vendor's words.
const STEMS = [
  [/GLASSES/, "glasses"],
  [/EYE/, "eyesClosed"],
  [/MOUTH/, "mouthOpen"],
  [/DARK|UNDEREXPOS|LOW_?LIGHT/, "tooDark"],
  [/BRIGHT|OVEREXPOS|GLARE/, "tooBright"],
  [/NOT_?FOUND|NO_?FACE|NOT_?DETECTED|MISSING/, "noFace"],
  [/MULTIPLE|SEVERAL|MANY|FACES/, "severalFaces"],
  [/CENT(ER|RE)|POSITION|FRAME|OUT_?OF/, "notCentred"],
  [/SMALL|FAR/, "tooFar"],
  [/CLOSE|LARGE|BIG/, "tooClose"],
  [/BLUR|FOCUS|MOTION/, "blurry"],
  [/POSE|ANGLE|ROTAT|YAW|PITCH|ROLL|HEAD/, "headTurned"],
  [/LIVE|SPOOF|FAKE|ATTACK/, "notLive"],
] as const satisfies readonly (readonly [RegExp, string])[];

/** A reason of LUNA PASS's that the page has a text for. */
export type ReasonKey = (typeof STEMS)[number][1];

/** The camera's issues the local provider refuses a selfie for, shown as the camera's hints. */
const HINTS: ReadonlySet<string> = new Set(LOCAL_LIVENESS_ISSUES);

export type ReasonText = { key: string } | { raw: string };

/** The translation key of a reason, or the reason itself when it is not known. */
export function reasonOf(error: string): ReasonText {
  if (HINTS.has(error)) return { key: `hints.${error}` };
  const word = error.toUpperCase().replace(/[^A-Z]+/g, "_");
  for (const [stem, key] of STEMS) {
    if (stem.test(word)) return { key: `lunaPass.reasons.${key}` };
  }
  return { raw: error };
}

/** Every `lunaPass.reasons.*` key `reasonOf` can give, for the locale check. */
export const REASON_KEYS: ReasonKey[] = [...new Set(STEMS.map(([, key]) => key))];

/** Why the LUNA PASS page cannot go on with the vendor's library. */
export const TROUBLES = ["loadFailed", "startTimedOut", "checkTimedOut", "libraryFailed"] as const;
export type Trouble = (typeof TROUBLES)[number];
