// Plural forms: the text for a number is chosen by the language's plural rules.

import { afterEach, describe, expect, it } from "vitest";
import { plural, pluralCategory, setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

describe("plural", () => {
  it("picks Russian's one, few and many", () => {
    expect([1, 2, 5, 9, 21].map((n) => pluralCategory("ru", n))).toEqual(["one", "few", "many", "many", "one"]);
    setLanguage("ru");
    const label = (n: number) => plural("document.taxNumberLabel", n);
    expect([1, 2, 5, 9, 21].map(label)).toEqual([
      "ИНН (1 цифра)",
      "ИНН (2 цифры)",
      "ИНН (5 цифр)",
      "ИНН (9 цифр)",
      "ИНН (21 цифра)",
    ]);
    expect(plural("document.taxNumberHelp", 21)).toBe("Введите 21 цифру вашего ИНН.");
    expect(plural("document.taxNumberHelp", 9)).toBe("Введите 9 цифр вашего ИНН.");
    expect(plural("document.taxNumber.tooShort", 21, { typed: 4 })).toBe("Введено 4 из 21 цифры.");
    expect(plural("document.taxNumber.tooShort", 9, { typed: 4 })).toBe("Введено 4 из 9 цифр.");
  });

  it("has one and other in English, and Tajik's noun after a number stays singular", () => {
    setLanguage("en");
    expect([1, 2, 9].map((n) => plural("document.taxNumberLabel", n))).toEqual([
      "Taxpayer number (1 digit)",
      "Taxpayer number (2 digits)",
      "Taxpayer number (9 digits)",
    ]);
    setLanguage("tg");
    expect([1, 9, 21].map((n) => plural("document.taxNumberLabel", n))).toEqual([
      "РМА / ИНН (1 рақам)",
      "РМА / ИНН (9 рақам)",
      "РМА / ИНН (21 рақам)",
    ]);
  });

  it("uses a plain text as it is, and falls back to other", () => {
    setLanguage("ru");
    expect(plural("document.taxNumber.notDigits", 9)).toBe("Только цифры.");
    expect(plural("document.taxNumberLabel", 1.5)).toBe("ИНН (1.5 цифры)");
  });
});
