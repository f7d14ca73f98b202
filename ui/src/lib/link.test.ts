import { describe, expect, it } from "vitest";
import { looksLikeLink } from "./link";

describe("looksLikeLink", () => {
  it("takes links and keys that hold a key", () => {
    expect(looksLikeLink("05a4ce19-de3c-4d2c-a464-7356dbdbd107")).toBe(true);
    expect(looksLikeLink("humo-ident://open?key=05A4CE19-DE3C-4D2C-A464-7356DBDBD107")).toBe(true);
  });
  it("refuses text with no key", () => {
    expect(looksLikeLink("https://bank.example/ident")).toBe(false);
    expect(looksLikeLink("05a4ce19-de3c-4d2c-a464")).toBe(false);
  });
});
