// LUNA PASS's reasons, as the person reads them. The vendor's exact words are not published, so
// known words are recognised by their stem; the local provider's camera hints pass through;
// anything else is shown as it came.

// The more particular stems come first: `EYEGLASSES` is about glasses, `EYES_CLOSED` about the
// eyes, not the distance, and `NO_FACES` means none, not several.
const STEMS: [RegExp, string][] = [
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
];

/** The camera's own hints (`no-face`, …), which the local provider's refusals carry. */
const HINTS = new Set(["too-dark", "too-bright", "blurry", "no-face", "several-faces", "face-not-centred", "face-too-small"]);

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

/** Every key `reasonOf` can give, for the locale check. */
export const REASON_KEYS = [...new Set(STEMS.map(([, key]) => key))];
