import { describe, expect, it } from "vitest";
import { checkWeightedText, CONTACT_NUMBER, isServicePhone, looksLikeWebsite, TEXT_LIMITS } from "./fields";

describe("checkWeightedText applies the documented limits", () => {
  it("accepts a name of 15 ideographs (30) and refuses one more character", () => {
    expect(checkWeightedText("一二三四五六七八九十一二三四五", TEXT_LIMITS.name)).toBeNull();
    expect(checkWeightedText("一二三四五六七八九十一二三四五a", TEXT_LIMITS.name)).toEqual({ kind: "long", max: 30, length: 31 });
  });

  it("counts two ideographs as 4, enough for a name of at least 3", () => {
    expect(checkWeightedText("小程", TEXT_LIMITS.name)).toBeNull();
    expect(checkWeightedText("ab", TEXT_LIMITS.name)).toEqual({ kind: "short", min: 3, length: 2 });
  });

  it("does not count surrounding whitespace, ideographic space included", () => {
    expect(checkWeightedText("\u3000 ab \u3000", TEXT_LIMITS.name)).toEqual({ kind: "short", min: 3, length: 2 });
  });

  it("requires a text and refuses control characters inside it", () => {
    expect(checkWeightedText("   ", TEXT_LIMITS.tagline)).toEqual({ kind: "required" });
    expect(checkWeightedText("小程序\t平台介绍文字", TEXT_LIMITS.tagline)).toEqual({ kind: "control" });
  });

  it("has the server's limits", () => {
    expect(TEXT_LIMITS).toEqual({ name: { min: 3, max: 30 }, tagline: { min: 10, max: 30 }, description: { min: 20, max: 200 } });
  });
});

describe("the service phone is XXXX-XXXXXXX in ASCII digits", () => {
  it.each([
    ["0571-8888888", true],
    ["0571-88888888", false],
    ["057-18888888", false],
    ["0571 8888888", false],
    ["０５７１-８８８８８８８", false], // full-width digits
    ["٠٥٧١-٨٨٨٨٨٨٨", false], // Arabic-Indic digits, which \d would accept in some engines
    ["0571-8888888\n", false],
  ])("%s → %s", (phone, ok) => {
    expect(isServicePhone(phone)).toBe(ok);
  });
});

describe("application fields", () => {
  it("accepts contact numbers with +, spaces, hyphens and parentheses", () => {
    expect(CONTACT_NUMBER.test("+86 (571) 8888-8888")).toBe(true);
    expect(CONTACT_NUMBER.test("call me")).toBe(false);
  });

  it("accepts only http(s) websites", () => {
    expect(looksLikeWebsite("https://example.com")).toBe(true);
    expect(looksLikeWebsite("ftp://example.com")).toBe(false);
    expect(looksLikeWebsite("example.com")).toBe(false);
  });
});
