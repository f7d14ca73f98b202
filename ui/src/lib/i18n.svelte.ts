// Every text comes from a locale file; `t` looks a key up in the chosen language, falling back
// to English, then to the key itself (which the locale test forbids from ever happening).

import en from "../locales/en.json";
import ru from "../locales/ru.json";
import tg from "../locales/tg.json";
import type { CameraErrorCode } from "./bindings/CameraErrorCode";
import type { DemoFault } from "./bindings/DemoFault";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Issue } from "./bindings/Issue";
import type { SelfieUnavailableReason } from "./bindings/SelfieUnavailableReason";
import type { SessionErrorCode } from "./bindings/SessionErrorCode";
import type { ReasonKey, Trouble } from "./lunaPass/errors";

import type { Language } from "./bindings/Language";

export type { Language };
/** The UI's languages, in the order the switch shows them; the type is Rust's. */
export const LANGUAGES = ["tg", "ru", "en"] as const satisfies readonly Language[];

type Messages = { [key: string]: string | Messages };

/** The texts every language has for each of the app's codes: a code added in Rust fails the
 * type check until every locale file has its text. The locale test checks the rest. */
type ByCode = {
  errors: Record<ErrorCode | CameraErrorCode | SessionErrorCode | "unknown", string>;
  cameraErrors: Record<CameraErrorCode, { title: string; help: string }>;
  hints: Record<Issue, string>;
  selfieUnavailable: Record<SelfieUnavailableReason, string>;
  demo: { faults: Record<DemoFault, string> };
  lunaPass: { reasons: Record<ReasonKey | "other", string>; trouble: Record<Trouble, string> };
  // The bank's yes-or-no results (ui/src/lib/result.ts).
  result: { empty: string; yes: string; no: string };
};

export const MESSAGES: Record<Language, Messages> = { tg, ru, en } satisfies Record<Language, ByCode>;

/** The language for a system locale tag (`tg-TJ`, `ru_RU.UTF-8`, …); English when unknown. */
export function languageOf(locale: string | null | undefined): Language {
  const tag = (locale ?? "").toLowerCase().slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(tag) ? (tag as Language) : "en";
}

let language = $state<Language>("en");
let fallback: Language = "en";

export function currentLanguage(): Language {
  return language;
}

export function setLanguage(next: Language): void {
  language = next;
  if (typeof document !== "undefined") document.documentElement.lang = next;
}

/** Sets the default language (from the system) and switches to it. */
export function setDefaultLanguage(next: Language): void {
  fallback = next;
  setLanguage(next);
}

/** Back to the default: the kiosk's next client starts in it. */
export function resetLanguage(): void {
  setLanguage(fallback);
}

export function lookup(messages: Messages, key: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The text of `key`, with `{name}` replaced by `params.name`. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  return fill(lookup(MESSAGES[language], key) ?? lookup(MESSAGES.en, key) ?? key, params);
}

/** CLDR's plural categories: the keys a plural entry may have; `other` is always there. */
export const PLURAL_CATEGORIES = ["zero", "one", "two", "few", "many", "other"] as const;

const pluralRules = new Map<Language, Intl.PluralRules>();

/** The plural category of `n` in `lang` (ru: one, few, many, other; tg and en: one, other). */
export function pluralCategory(lang: Language, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules.select(n);
}

function pluralText(lang: Language, key: string, n: number): string | undefined {
  const messages = MESSAGES[lang];
  return (
    lookup(messages, `${key}.${pluralCategory(lang, n)}`) ?? lookup(messages, `${key}.other`) ?? lookup(messages, key)
  );
}

/** The text of `key` for the number `n`, where a number meets a noun: the entry holds one text
 * per plural category (`{ "one": "{n} digit", "other": "{n} digits" }`) and the form is
 * chosen by `Intl.PluralRules`; `{n}` is the number. A plain text is used as it is. */
export function plural(key: string, n: number, params: Record<string, string | number> = {}): string {
  return fill(pluralText(language, key, n) ?? pluralText("en", key, n) ?? key, { ...params, n });
}

/** Whether `key` has a text (to fall back to a server's message when it has not). */
export function has(key: string): boolean {
  return lookup(MESSAGES[language], key) !== undefined;
}
