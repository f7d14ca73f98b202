// What the bank read from a document, made readable: fields the app knows get a translated
// label in a fixed order; anything else the bank sent is listed after them as it came.

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

export interface ResultRow {
  key: string;
  known: boolean;
  value: string;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The rows to show for a task's `result`. */
export function resultRows(result: unknown): ResultRow[] {
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    return result === null || result === undefined
      ? []
      : [{ key: "result", known: false, value: show(result) }];
  }
  const entries = Object.entries(result as Record<string, unknown>);
  const known: ResultRow[] = [];
  for (const field of KNOWN_FIELDS) {
    const entry = entries.find(([key]) => key === field);
    if (entry) known.push({ key: field, known: true, value: show(entry[1]) });
  }
  const others = entries
    .filter(([key]) => !HIDDEN.has(key) && !(KNOWN_FIELDS as readonly string[]).includes(key))
    .map(([key, value]) => ({ key, known: false, value: show(value) }));
  return [...known, ...others];
}
