// LUNA PASS's reasons, as the person reads them. The vendor's exact words are not published, so
// known words are recognised by their stem; the local provider's camera hints pass through;
// anything else is shown as it came.

const STEMS: [RegExp, string][] = [
  [/DARK|UNDEREXPOS|LOW_?LIGHT/, "tooDark"],
  [/BRIGHT|OVEREXPOS|GLARE/, "tooBright"],
  [/MULTIPLE|SEVERAL|MANY|FACES/, "severalFaces"],
  [/NOT_?FOUND|NO_?FACE|NOT_?DETECTED|MISSING/, "noFace"],
  [/CENT(ER|RE)|POSITION|FRAME|OUT_?OF/, "notCentred"],
  [/SMALL|FAR/, "tooFar"],
  [/CLOSE|LARGE|BIG/, "tooClose"],
  [/BLUR|FOCUS|MOTION/, "blurry"],
  [/POSE|ANGLE|ROTAT|YAW|PITCH|ROLL|HEAD/, "headTurned"],
  [/GLASSES/, "glasses"],
  [/EYE/, "eyesClosed"],
  [/MOUTH/, "mouthOpen"],
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
