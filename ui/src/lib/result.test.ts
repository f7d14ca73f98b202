import { describe, expect, it } from "vitest";
import { resultRows } from "./result";

describe("resultRows", () => {
  it("lists known fields first, in their order, then the rest as they came", () => {
    const rows = resultRows({
      side: "front",
      document_type: "ID_NEW",
      given_name: "FIRUZ",
      surname: "RAHIMOV",
      photo_quality: 0.93,
      extra: { a: 1 },
    });
    expect(rows).toEqual([
      { key: "surname", known: true, value: "RAHIMOV" },
      { key: "given_name", known: true, value: "FIRUZ" },
      { key: "photo_quality", known: false, value: "0.93" },
      { key: "extra", known: false, value: '{"a":1}' },
    ]);
  });

  it("copes with results that are not objects", () => {
    expect(resultRows(null)).toEqual([]);
    expect(resultRows("ok")).toEqual([{ key: "result", known: false, value: "ok" }]);
  });
});
