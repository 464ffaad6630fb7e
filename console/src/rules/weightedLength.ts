// The mini program text rule of the platform's documentation, as the server applies it
// (services/miniprograms/miniprograms/domain.py `weighted_length` / `_weighs_two`): a CJK
// ideograph or full-width CJK punctuation weighs 2, any other code point 1, counted after
// trimming surrounding whitespace the way Python's str.strip() does.
//
// Python decides by Unicode data (the U+3000..U+303F block, east_asian_width "F", and the
// names "CJK UNIFIED IDEOGRAPH" / "CJK COMPATIBILITY IDEOGRAPH"); these are the same sets as
// explicit code point ranges for Unicode 15.1 (Python 3.13). rules/weightedLength.test.ts proves
// them equal, code point for code point, to tests/fixtures/weighted_length.json, which
// console/scripts/weighted-length-table.py generates from the server's function.

/** [first, last] code points that weigh two, sorted, disjoint. */
export const WEIGHS_TWO_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3000, 0x303f], // CJK Symbols and Punctuation: 　、。〈〉《》「」【】〜
  [0x3400, 0x4dbf], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xf900, 0xfa6d], // CJK Compatibility Ideographs
  [0xfa70, 0xfad9], //   (second run of the block)
  [0xff01, 0xff60], // Full-width ASCII forms: ！，（）：；？ＡＢＣ１２３
  [0xffe0, 0xffe6], // Full-width signs: ￠￡￢￣￤￥￦
  [0x20000, 0x2a6df], // Extension B
  [0x2a700, 0x2b739], // Extension C
  [0x2b740, 0x2b81d], // Extension D
  [0x2b820, 0x2cea1], // Extension E
  [0x2ceb0, 0x2ebe0], // Extension F
  [0x2ebf0, 0x2ee5d], // Extension I (Unicode 15.1)
  [0x2f800, 0x2fa1d], // CJK Compatibility Ideographs Supplement
  [0x30000, 0x3134a], // Extension G
  [0x31350, 0x323af], // Extension H
];

/** The code points Python's str.isspace() accepts, i.e. what str.strip() removes. JavaScript's
 * trim() differs: it removes U+FEFF and keeps U+001C..U+001F and U+0085. */
export const PYTHON_WHITESPACE: ReadonlySet<number> = new Set([
  0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
]);

/** [first, last] code points of categories Cc (controls) and Cf (format characters: bidi
 * overrides such as U+202E, zero-width characters, the BOM), which every text field refuses
 * (shared/shared/text.py `has_control_characters`), for Unicode 15.1. */
export const REFUSED_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];

function inRanges(ranges: ReadonlyArray<readonly [number, number]>, codePoint: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = ranges[middle]!;
    if (codePoint < first) high = middle - 1;
    else if (codePoint > last) low = middle + 1;
    else return true;
  }
  return false;
}

export function weighsTwo(codePoint: number): boolean {
  return inRanges(WEIGHS_TWO_RANGES, codePoint);
}

/** weighted_length(text): per code point (not UTF-16 unit: an emoji or an Extension B
 * ideograph is one code point, as in Python). */
export function weightedLength(text: string): number {
  let total = 0;
  for (const char of text) total += weighsTwo(char.codePointAt(0)!) ? 2 : 1;
  return total;
}

/** Python's str.strip() with no argument. */
export function pythonStrip(text: string): string {
  const points = Array.from(text);
  let start = 0;
  let end = points.length;
  while (start < end && PYTHON_WHITESPACE.has(points[start]!.codePointAt(0)!)) start++;
  while (end > start && PYTHON_WHITESPACE.has(points[end - 1]!.codePointAt(0)!)) end--;
  return points.slice(start, end).join("");
}

/** What the server compares with a field's limits: the weight of the trimmed text. */
export function countedLength(text: string): number {
  return weightedLength(pythonStrip(text));
}

/** Whether the text holds a control or format character (Cc, Cf), which the server refuses. */
export function hasControlCharacters(text: string): boolean {
  for (const char of text) if (inRanges(REFUSED_RANGES, char.codePointAt(0)!)) return true;
  return false;
}
