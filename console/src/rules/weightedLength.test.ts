// The client's weighted length is the server's: the table and the ranges come from the Python
// function (console/scripts/weighted-length-table.py), and the Python tests read the same file.
import { describe, expect, it } from "vitest";
import table from "../../../tests/fixtures/weighted_length.json";
import {
  countedLength,
  hasControlCharacters,
  PYTHON_WHITESPACE,
  REFUSED_RANGES,
  pythonStrip,
  weighsTwo,
  weightedLength,
  WEIGHS_TWO_RANGES,
} from "./weightedLength";

describe("weightedLength agrees with the server's weighted_length", () => {
  it.each(table.cases.map((c) => [c.note, c] as const))("%s", (_note, c) => {
    expect(weightedLength(c.text)).toBe(c.weight);
    expect(countedLength(c.text)).toBe(c.trimmed_weight);
  });

  it("weighs two for exactly the code points Python's _weighs_two does", () => {
    expect(WEIGHS_TWO_RANGES.map(([a, b]) => [a, b])).toEqual(table.weighs_two_ranges);
  });

  it("looks ranges up at their edges", () => {
    for (const [first, last] of table.weighs_two_ranges as [number, number][]) {
      expect(weighsTwo(first)).toBe(true);
      expect(weighsTwo(last)).toBe(true);
      expect(weighsTwo(first - 1)).toBe(false);
      expect(weighsTwo(last + 1)).toBe(false);
    }
  });

  it("was generated for the Unicode version its ranges are written for", () => {
    expect(table.unicode_version).toBe("15.1.0");
  });
});

describe("pythonStrip trims what Python's str.strip() trims", () => {
  it("knows Python's whitespace", () => {
    expect([...PYTHON_WHITESPACE].sort((a, b) => a - b)).toEqual(table.whitespace);
  });

  it("keeps the byte order mark that JavaScript's trim() would remove", () => {
    expect(pythonStrip("\ufeffab\ufeff")).toBe("\ufeffab\ufeff");
    expect("\ufeffab\ufeff".trim()).toBe("ab");
  });

  it("removes the separators and NEL that JavaScript's trim() keeps", () => {
    expect(pythonStrip("\x1c\x85ab\x1f")).toBe("ab");
  });

  it("counts astral characters once, not per UTF-16 unit", () => {
    expect("𠮷".length).toBe(2);
    expect(weightedLength("𠮷")).toBe(2); // one Extension B ideograph, weighing two
    expect(weightedLength("😀")).toBe(1);
  });
});

describe("hasControlCharacters refuses what the server refuses (Cc and Cf)", () => {
  it("for exactly the code points shared.text.has_control_characters does", () => {
    expect(REFUSED_RANGES.map(([a, b]) => [a, b])).toEqual(table.refused_ranges);
  });

  it.each([
    ["tab", "a\tb", true],
    ["newline", "a\nb", true],
    ["DEL", "a\x7fb", true],
    ["C1", "a\x9fb", true],
    ["right-to-left override U+202E", "ab\u202ecd", true],
    ["zero-width space", "a\u200bb", true],
    ["a tag character (astral Cf)", "a\u{E0041}b", true],
    ["plain text", "支付宝 Mini", false],
    ["ideographic space is whitespace, not a control", "支\u3000付", false],
  ])("%s", (_name, text, expected) => {
    expect(hasControlCharacters(text)).toBe(expected);
  });
});
