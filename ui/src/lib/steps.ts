// A step's name in the person's language: by the chosen passport and the page's id, or the
// configuration's own label for steps the app has no text for.

import type { StepView } from "./bindings/StepView";
import { has, t } from "./i18n.svelte";

export function stepTitle(step: StepView): string {
  const key = step.kind === "selfie" ? "steps.selfie" : `steps.${step.document ?? "additional"}.${step.id}`;
  return has(key) ? t(key) : step.label;
}

export function stepInstruction(step: StepView): string {
  const key =
    step.kind === "selfie" ? "steps.selfieHint" : `steps.${step.document ?? "additional"}.${step.id}Hint`;
  return has(key) ? t(key) : t("steps.genericHint");
}
