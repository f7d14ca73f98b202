import { render } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import ResultFields from "./components/ResultFields.svelte";
import { LANGUAGES, type Language, MESSAGES, lookup, setLanguage } from "./i18n.svelte";
import { KNOWN_FIELDS, resultRows } from "./result";

afterEach(() => {
  document.body.replaceChildren();
  setLanguage("en");
});

describe("resultRows", () => {
  it("lists known fields first, in their order, then the rest as they came", () => {
    const rows = resultRows(
      {
        side: "front",
        document_type: "ID_NEW",
        given_name: "FIRUZ",
        surname: "RAHIMOV",
        photo_quality: 0.93,
        extra: { a: 1, b: true },
      },
      "en",
    );
    expect(rows).toEqual([
      { key: "surname", known: true, value: "RAHIMOV" },
      { key: "given_name", known: true, value: "FIRUZ" },
      { key: "photo_quality", known: false, value: "0.93" },
      { key: "extra", known: false, value: "a: 1; b: Yes" },
    ]);
  });

  it("copes with results that are not objects", () => {
    expect(resultRows(null, "ru")).toEqual([]);
    expect(resultRows("ok", "ru")).toEqual([{ key: "result", known: false, value: "ok" }]);
    expect(resultRows(false, "ru")).toEqual([{ key: "result", known: false, value: "Нет" }]);
  });

  it("writes yes and no, numbers, scores and dates as each language does", () => {
    const result = { liveness: true, face_match: false, liveness_score: 0.97, photo_quality: 1234.5, birth_date: "1991-04-12" };
    const shown = (language: Language) =>
      Object.fromEntries(resultRows(result, language).map((row) => [row.key, row.value]));
    expect(shown("en")).toEqual({
      liveness: "Yes",
      face_match: "No",
      liveness_score: "97%",
      photo_quality: "1,234.5",
      birth_date: "12/04/1991",
    });
    // Russian groups thousands with a no-break space and writes a decimal comma.
    expect(shown("ru")).toEqual({
      liveness: "Да",
      face_match: "Нет",
      liveness_score: "97\u00a0%",
      photo_quality: "1\u00a0234,5",
      birth_date: "12.04.1991",
    });
    expect(shown("tg")).toMatchObject({ liveness: "Ҳа", face_match: "Не", birth_date: "12.04.1991" });
    expect(shown("tg").photo_quality).toMatch(/^1\s234,5$/u);
  });

  it("keeps numbers that are identifiers, and strings that only look like dates, as they came", () => {
    const rows = resultRows({ tax_number: 123456789, document_number: "A1234567", issue_date: "2020-13-40" }, "ru");
    expect(rows.map((row) => row.value)).toEqual(["A1234567", "2020-13-40", "123456789"]);
  });
});

/** A result with every field the app knows, each with a value of the kind the bank sends. */
const EVERY_FIELD: Record<string, unknown> = {
  ...Object.fromEntries(KNOWN_FIELDS.map((field) => [field, field.toUpperCase()])),
  birth_date: "1991-04-12",
  issue_date: "2020-01-31",
  expiry_date: "2030-01-30",
  tax_number: "123456789",
  liveness: true,
  liveness_score: 0.973,
  face_match: false,
  similarity: 0.5,
  photo_quality: 0.25,
};

/** The decimal sign each language writes, and a number written with the other one (no value
 * above holds a thousands separator; dates are taken out before this is matched). */
const DECIMAL: Record<Language, { sign: string; foreign: RegExp }> = {
  en: { sign: ".", foreign: /\d,\d/ },
  ru: { sign: ",", foreign: /\d\.\d/ },
  tg: { sign: ",", foreign: /\d\.\d/ },
};

/** A value without the dates a language writes with dots or slashes (12.04.1991, 12/04/1991). */
const withoutDates = (value: string) => value.replace(/\b\d{2}[./]\d{2}[./]\d{4}\b/g, "");

describe("the result, rendered in every language", () => {
  it.each(LANGUAGES)("%s: every field has its label, and no value is written for another language", (language) => {
    setLanguage(language);
    const { container } = render(ResultFields, { result: EVERY_FIELD });
    const fields = [...container.querySelectorAll<HTMLElement>(".field")];
    expect(fields.map((field) => field.dataset.key)).toEqual([...KNOWN_FIELDS, "photo_quality"]);
    for (const field of fields) {
      const key = field.dataset.key!;
      const label = field.querySelector("dt")!.textContent;
      const value = field.querySelector("dd")!.textContent!;
      if (key !== "photo_quality") expect(label).toBe(lookup(MESSAGES[language], `fields.${key}`));
      expect(value, key).not.toMatch(/\b(true|false|null|undefined|NaN)\b/);
      expect(withoutDates(value), key).not.toMatch(DECIMAL[language].foreign);
      expect(value, key).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    const value = (key: string) => container.querySelector(`[data-key="${key}"] dd`)!.textContent!;
    expect(value("liveness")).toBe(lookup(MESSAGES[language], "result.yes"));
    expect(value("face_match")).toBe(lookup(MESSAGES[language], "result.no"));
    expect(value("liveness_score")).toContain(`97${DECIMAL[language].sign}3`);
    expect(value("liveness_score")).toContain("%");
    expect(value("photo_quality")).toBe(`0${DECIMAL[language].sign}25`);
  });
});
