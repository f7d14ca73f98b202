import { describe, expect, it } from "vitest";
import { checkTaxNumber } from "./taxNumber";

describe("checkTaxNumber", () => {
  it("accepts exactly nine digits", () => {
    expect(checkTaxNumber("020025789")).toEqual({ ok: true, value: "020025789" });
    expect(checkTaxNumber(" 020 025 789 ")).toEqual({ ok: true, value: "020025789" });
  });

  it("says what is wrong with anything else", () => {
    expect(checkTaxNumber("")).toEqual({ ok: false, reason: "empty" });
    expect(checkTaxNumber("02002578")).toEqual({ ok: false, reason: "tooShort" });
    expect(checkTaxNumber("0200257891")).toEqual({ ok: false, reason: "tooLong" });
    expect(checkTaxNumber("02002578a")).toEqual({ ok: false, reason: "notDigits" });
    expect(checkTaxNumber("٠٢٠٠٢٥٧٨٩")).toEqual({ ok: false, reason: "notDigits" });
  });
});
