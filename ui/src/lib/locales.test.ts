// Every text exists in all three languages, and every code the app can send has a text; Tajik
// and Russian are written in their own letters; plural entries have each language's forms.

import { describe, expect, it } from "vitest";
import { CAMERA_ERROR_CODES, CORE_ERROR_CODES, ISSUES, SESSION_ERROR_CODES } from "./bindings/errorCodes";
import { DEMO_FAULTS } from "./demoFaults";
import { LANGUAGES, lookup, MESSAGES, PLURAL_CATEGORIES, type Language } from "./i18n.svelte";
import { REASON_KEYS, TROUBLES } from "./lunaPass/errors";
import { KNOWN_FIELDS } from "./result";

type Tree = { [key: string]: string | Tree };

/** An entry with one text per plural category (`{ "one": …, "other": … }`). */
function isPlural(node: Tree): boolean {
  const keys = Object.keys(node);
  return (
    keys.includes("other") &&
    keys.every((key) => (PLURAL_CATEGORIES as readonly string[]).includes(key) && typeof node[key] === "string")
  );
}

/** Every text's key; a plural entry counts once, under its own key. */
function keys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" || isPlural(value) ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

/** Every text of a key: one, or one per plural category. */
function texts(language: Language, key: string): string[] {
  const text = lookup(MESSAGES[language], key);
  if (text !== undefined) return [text];
  const node = key.split(".").reduce<Tree | string | undefined>(
    (n, part) => (typeof n === "object" ? n[part] : undefined),
    MESSAGES[language] as Tree,
  );
  return typeof node === "object" ? Object.values(node).filter((v): v is string => typeof v === "string") : [];
}

function pluralKeys(language: Language): string[] {
  return keys(MESSAGES[language]).filter((key) => lookup(MESSAGES[language], key) === undefined);
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

describe("locales", () => {
  const english = keys(MESSAGES.en);

  it.each(LANGUAGES)("%s has exactly the English keys, with the same placeholders", (language) => {
    const own = keys(MESSAGES[language]);
    expect([...own].sort()).toEqual([...english].sort());
    expect(pluralKeys(language).sort(), language).toEqual(pluralKeys("en").sort());
    for (const key of english) {
      const wanted = placeholders(texts("en", key)[0]!);
      for (const text of texts(language, key)) {
        expect(text.trim(), `${language}: ${key}`).not.toBe("");
        expect(placeholders(text), `${language}: ${key}`).toEqual(wanted);
      }
    }
  });

  it.each(LANGUAGES)("%s has every plural form its language uses, and no other", (language) => {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    for (const key of pluralKeys(language)) {
      const node = key.split(".").reduce<Tree>((n, part) => n[part] as Tree, MESSAGES[language] as Tree);
      expect(Object.keys(node).sort(), `${language}: ${key}`).toEqual([...new Set([...categories, "other"])].sort());
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

// The letters each language may use. Tajik has Russian's alphabet and six letters more; the
// Russian-only letters (ц, щ, ы, ь, ъ, э) stay allowed in Tajik for loanwords.
const RUSSIAN = "а-яёА-ЯЁ";
const TAJIK_ONLY = "ғӣқӯҳҷҒӢҚӮҲҶ";
const LETTERS: Record<"tg" | "ru", RegExp> = {
  tg: new RegExp(`^[${RUSSIAN}${TAJIK_ONLY}]+$`, "u"),
  ru: new RegExp(`^[${RUSSIAN}]+$`, "u"),
};

/** Latin words a Tajik or Russian text may hold: loanwords the client sees on the bank's papers
 * and screens, the app's and systems' names, and file formats. "Media Feature Pack" is what
 * Microsoft calls the download for Windows N in every language. */
const ALLOWED_LATIN = [
  "LUNA PASS",
  "ID",
  "QR",
  "Humo Ident",
  "macOS",
  "Windows N",
  "Windows",
  "Media Feature Pack",
  "JPEG",
  "PNG",
];

/** Menu names of macOS and Windows, quoted as the system shows them: neither has a Tajik
 * version, so the Tajik text names them in English. Nowhere else. */
const SYSTEM_MENUS: Record<string, string[]> = {
  "tg:cameraErrors.camera-permission-denied.help": [
    "System Settings",
    "Privacy & Security",
    "Privacy & security",
    "Settings",
    "Camera",
    "Let desktop apps access your camera",
  ],
};

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A text's words once the allowed Latin words, `{placeholders}` and the example key (a UUID)
 * are taken out. */
function wordsOf(text: string, allowed: string[]): string[] {
  let rest = text.replace(/\{\w+\}/g, " ").replace(/\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/g, " ");
  for (const word of [...allowed].sort((a, b) => b.length - a.length)) {
    rest = rest.replace(new RegExp(`(?<!\\p{L})${escape(word)}(?!\\p{L})`, "gu"), " ");
  }
  return rest.match(/\p{L}+/gu) ?? [];
}

/** What is wrong with a text's letters in `language`, or nothing. */
function letterProblems(language: "tg" | "ru", key: string, text: string): string[] {
  const allowed = [...ALLOWED_LATIN, ...(SYSTEM_MENUS[`${language}:${key}`] ?? [])];
  return wordsOf(text, allowed).flatMap((word) => {
    if (LETTERS[language].test(word)) return [];
    if (/^\p{Script=Latin}+$/u.test(word)) return [`English word not in the allowed list: "${word}"`];
    if (/\p{Script=Latin}/u.test(word)) return [`Latin letter inside a Cyrillic word: "${word}"`];
    return [`letter that is not ${language === "tg" ? "Tajik" : "Russian"}: "${word}"`];
  });
}

describe("the letters of Tajik and Russian", () => {
  it.each(["tg", "ru"] as const)("%s holds only its own letters and the allowed Latin words", (language) => {
    const problems = keys(MESSAGES[language]).flatMap((key) =>
      texts(language, key).flatMap((text) => letterProblems(language, key, text).map((p) => `${key}: ${p}`)),
    );
    expect(problems).toEqual([]);
  });

  it("English holds no Cyrillic letter", () => {
    const cyrillic = keys(MESSAGES.en).filter((key) => texts("en", key).some((text) => /\p{Script=Cyrillic}/u.test(text)));
    expect(cyrillic).toEqual([]);
  });

  it("catches a Latin lookalike, an English word and a foreign letter", () => {
    // "о", "а", "с", "е", "р", "х" in Latin: the classic slip.
    expect(letterProblems("tg", "k", "Ҳуҷҷатро дар дохили чорчӯба гузoред.")).toEqual([
      'Latin letter inside a Cyrillic word: "гузoред"',
    ]);
    expect(letterProblems("ru", "k", "Сдeлать фото")).toEqual(['Latin letter inside a Cyrillic word: "Сдeлать"']);
    expect(letterProblems("ru", "k", "Проверка лица сообщила: TOO_DARK")).toEqual([
      'English word not in the allowed list: "TOO"',
      'English word not in the allowed list: "DARK"',
    ]);
    expect(letterProblems("tg", "k", "Пайванд кушода шуд (done).")).toEqual(['English word not in the allowed list: "done"']);
    expect(letterProblems("ru", "k", "Санҷиши рӯй")).toEqual([
      'letter that is not Russian: "Санҷиши"',
      'letter that is not Russian: "рӯй"',
    ]);
    expect(letterProblems("tg", "k", "Ідентифікація")).toEqual(['letter that is not Tajik: "Ідентифікація"']);
    // Allowed: the loanwords, placeholders, the example key, and a menu name only where listed.
    expect(letterProblems("tg", "k", "ID-корт, рамзи QR, LUNA PASS, {step}, 05a4ce19-de3c-4d2c-a464-7356dbdbd107")).toEqual([]);
    expect(letterProblems("tg", "k", "Settings")).toEqual(['English word not in the allowed list: "Settings"']);
    // An allowed word written with a Cyrillic lookalike is not the allowed word.
    expect(letterProblems("ru", "k", "LUNA PАSS")).not.toEqual([]);
  });
});
