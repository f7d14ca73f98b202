// The taxpayer number as it is typed: digits only, nine of them.

export const TAX_NUMBER_LENGTH = 9;

export type TaxNumberCheck =
  | { ok: true; value: string }
  | { ok: false; reason: "empty" | "notDigits" | "tooShort" | "tooLong" };

export function checkTaxNumber(typed: string): TaxNumberCheck {
  const value = typed.replace(/\s+/g, "");
  if (value.length === 0) return { ok: false, reason: "empty" };
  if (!/^[0-9]+$/.test(value)) return { ok: false, reason: "notDigits" };
  if (value.length < TAX_NUMBER_LENGTH) return { ok: false, reason: "tooShort" };
  if (value.length > TAX_NUMBER_LENGTH) return { ok: false, reason: "tooLong" };
  return { ok: true, value };
}
