// Every text exists in all three languages, and every code the app can send has a text.

import { describe, expect, it } from "vitest";
import { CAMERA_ERROR_CODES, CORE_ERROR_CODES, ISSUES, SESSION_ERROR_CODES } from "./bindings/errorCodes";
import { DEMO_FAULTS } from "./demoFaults";
import { LANGUAGES, lookup, MESSAGES } from "./i18n.svelte";
import { REASON_KEYS, TROUBLES } from "./lunaPass/errors";
import { KNOWN_FIELDS } from "./result";

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

describe("locales", () => {
  const english = keys(MESSAGES.en);

  it.each(LANGUAGES)("%s has exactly the English keys, with the same placeholders", (language) => {
    const own = keys(MESSAGES[language]);
    expect([...own].sort()).toEqual([...english].sort());
    for (const key of english) {
      const text = lookup(MESSAGES[language], key)!;
      expect(text.trim(), `${language}: ${key}`).not.toBe("");
      expect(placeholders(text), `${language}: ${key}`).toEqual(placeholders(lookup(MESSAGES.en, key)!));
    }
  });

  it("has a text for every error code the app can send", () => {
    for (const code of [...CORE_ERROR_CODES, ...CAMERA_ERROR_CODES, ...SESSION_ERROR_CODES]) {
      expect(english, code).toContain(`errors.${code}`);
    }
  });

  it("explains every camera error and names every quality hint, field and demo switch", () => {
    for (const code of CAMERA_ERROR_CODES) {
      expect(english).toContain(`cameraErrors.${code}.title`);
      expect(english).toContain(`cameraErrors.${code}.help`);
    }
    for (const issue of ISSUES) expect(english).toContain(`hints.${issue}`);
    for (const field of KNOWN_FIELDS) expect(english).toContain(`fields.${field}`);
    for (const fault of DEMO_FAULTS) expect(english).toContain(`demo.faults.${fault}`);
    for (const reason of REASON_KEYS) expect(english).toContain(`lunaPass.reasons.${reason}`);
    for (const trouble of TROUBLES) expect(english).toContain(`lunaPass.trouble.${trouble}`);
  });
});
