// What the bank read from a document, made readable: fields the app knows get a translated
// label in a fixed order; anything else the bank sent is listed after them as it came. Values
// are written as the person's language writes them: yes and no in its words, numbers with its
// decimal sign, scores as percentages, dates as day, month and year.

import { type Language, lookup, MESSAGES } from "./i18n.svelte";

export const KNOWN_FIELDS = [
  "surname",
  "given_name",
  "patronymic",
  "birth_date",
  "birth_place",
  "sex",
  "nationality",
  "document_number",
  "personal_number",
  "issue_date",
  "expiry_date",
  "authority",
  "marital_status",
  "additional_number",
  "tax_number",
  "address",
  "mrz",
  "liveness",
  "liveness_score",
  "face_match",
  "similarity",
] as const;

export type KnownField = (typeof KNOWN_FIELDS)[number];

/** Fields that describe the answer itself rather than the person: not shown. */
const HIDDEN = new Set(["document_type", "side"]);

/** Scores from 0 to 1, shown as percentages (docs/GLOSSARY.md, "The document's fields"). */
const SCORES = new Set<string>(["liveness_score", "similarity"]);

/** Fields that are numbers written with digits, never formatted as a quantity. */
const IDENTIFIERS = new Set<string>(["document_number", "personal_number", "additional_number", "tax_number", "mrz"]);

export interface ResultRow {
  key: string;
  known: boolean;
  value: string;
}

/** The locales Intl writes a language's numbers with: Tajik falls back to Russian (the same
 * decimal comma and grouping) where the system's ICU has no Tajik data. */
const NUMBER_LOCALES: Record<Language, string[]> = { tg: ["tg", "ru"], ru: ["ru"], en: ["en-GB"] };

/** The locales for dates, as day, month and year: Tajik as its passports write them, 12.04.1991
 * (CLDR's Tajik, of basic coverage, has 12/04/1991), so as Russian; English is British. */
const DATE_LOCALES: Record<Language, string[]> = { tg: ["ru"], ru: ["ru"], en: ["en-GB"] };

/** A date the bank sends as `YYYY-MM-DD`. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function show(key: string, value: unknown, language: Language): string {
  const locales = NUMBER_LOCALES[language];
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") {
    return lookup(MESSAGES[language], value ? "result.yes" : "result.no") ?? String(value);
  }
  if (typeof value === "number") {
    if (SCORES.has(key) && value >= 0 && value <= 1) {
      return new Intl.NumberFormat(locales, { style: "percent", maximumFractionDigits: 1 }).format(value);
    }
    if (IDENTIFIERS.has(key)) return String(value);
    return new Intl.NumberFormat(locales, { maximumFractionDigits: 6 }).format(value);
  }
  if (typeof value === "string") {
    const date = ISO_DATE.exec(value);
    if (date) {
      const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
      const when = new Date(Date.UTC(year, month - 1, day));
      // A string that only looks like a date (month 13) is shown as it came.
      if (when.getUTCMonth() === month - 1 && when.getUTCDate() === day) {
        return new Intl.DateTimeFormat(DATE_LOCALES[language], {
          day: "2-digit",
          month: "2-digit",
          year: "numeric",
          timeZone: "UTC",
        }).format(when);
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => show(key, item, language)).join(", ");
  return Object.entries(value as Record<string, unknown>)
    .map(([name, item]) => `${name}: ${show(name, item, language)}`)
    .join("; ");
}

/** The rows to show for a task's `result`, its values written for `language`. */
export function resultRows(result: unknown, language: Language): ResultRow[] {
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    return result === null || result === undefined
      ? []
      : [{ key: "result", known: false, value: show("result", result, language) }];
  }
  const entries = Object.entries(result as Record<string, unknown>);
  const known: ResultRow[] = [];
  for (const field of KNOWN_FIELDS) {
    const entry = entries.find(([key]) => key === field);
    if (entry) known.push({ key: field, known: true, value: show(field, entry[1], language) });
  }
  const others = entries
    .filter(([key]) => !HIDDEN.has(key) && !(KNOWN_FIELDS as readonly string[]).includes(key))
    .map(([key, value]) => ({ key, known: false, value: show(key, value, language) }));
  return [...known, ...others];
}
