"""Write tests/fixtures/weighted_length.json: the weighted-length rule of mini program texts,
as the server computes it, for the console's (Vitest) and the server's (pytest) tests.

Run with the repo's venv: `.venv/bin/python console/scripts/weighted-length-table.py`
(`--check` exits 1 when the committed file differs from what the server computes now).

The file holds
- `cases`: texts with `weight` = weighted_length(text) and `trimmed_weight` =
  weighted_length(text.strip()), which is what the validators compare with the limits;
- `weighs_two_ranges`: every code point range [first, last] for which `_weighs_two` is true,
  over the whole code space, so a client copy can be proved equal code point for code point;
- `whitespace`: the code points Python's str.strip() removes (JavaScript's trim() differs);
- `refused_ranges`: every code point range [first, last] that the texts refuse (categories Cc
  and Cf, shared/shared/text.py `has_control_characters`);
- `unicode_version`: of the Python that produced it (the ranges change with it).
"""

import json
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services" / "miniprograms"))
sys.path.insert(0, str(ROOT / "shared"))

from miniprograms.domain import _weighs_two, weighted_length  # noqa: E402
from shared.text import has_control_characters  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "weighted_length.json"

# (note, text): each names what it proves.
CASES: list[tuple[str, str]] = [
    ("empty", ""),
    ("ASCII letters", "abc"),
    ("ASCII sentence", "Hello, world!"),
    ("ASCII digits and symbols", "0123-4567890 @#$%"),
    ("Chinese ideographs", "小程序"),
    ("Chinese sentence", "支付宝小程序平台"),
    ("full-width comma and exclamation (U+FF0C, U+FF01)", "你好，世界！"),
    ("full-width parentheses, colon, semicolon, question mark", "（）：；？"),
    ("CJK symbols and punctuation block U+3001-U+303F", "、。「」【】〈〉《》〜"),
    ("ideographic space U+3000 inside", "中\u3000文"),
    ("ideographic space at the edges is trimmed", "\u3000中文\u3000"),
    ("full-width Latin letters and digits (east_asian_width F)", "ＡＢＣ１２３"),
    ("full-width yen and won signs", "￥￦"),
    ("mixed Chinese and ASCII", "Alipay 小程序 v2"),
    ("mixed with full-width punctuation", "欢迎使用Mini Program，谢谢！"),
    ("emoji (one code point, astral)", "😀"),
    ("emoji with text", "好👍ok"),
    ("emoji ZWJ sequence counts each code point", "👩\u200d💻"),
    ("flag: two regional indicators", "🇨🇳"),
    ("CJK Unified Ideographs Extension B (astral)", "𠀀𠮷"),
    ("CJK Extension A", "㐀䶵"),
    ("CJK Compatibility Ideographs", "豈﨩"),
    ("CJK Compatibility Ideographs Supplement (astral)", "丽𪘀"),
    ("CJK Radicals Supplement is not an ideograph", "⺀⻳"),
    ("Kangxi radicals are wide but not F nor ideographs", "⼀⼁"),
    ("hiragana and katakana weigh one", "ひらがなカタカナ"),
    ("half-width katakana weigh one", "ｶﾀｶﾅ"),
    ("half-width forms punctuation weigh one", "｡｢｣､"),
    ("hangul weighs one", "한국어"),
    ("bopomofo weighs one", "ㄅㄆㄇ"),
    ("Latin with diacritics", "Crème brûlée"),
    ("combining accent is its own code point", "e\u0301"),
    ("surrounding ASCII whitespace is trimmed", "  padded name \t\n"),
    ("non-breaking space is whitespace to Python", "\u00a0名字\u00a0"),
    ("zero-width space is not whitespace to Python", "\u200bab\u200b"),
    ("right-to-left override weighs one (and is refused)", "ab\u202ecd"),
    ("byte order mark is not whitespace to Python", "\ufeffab\ufeff"),
    ("information separators are whitespace to Python", "\x1cab\x1f"),
    ("next line U+0085 is whitespace to Python", "\x85ab\x85"),
    ("a name at the upper limit: 15 ideographs", "一二三四五六七八九十一二三四五"),
    ("a name one over the limit", "一二三四五六七八九十一二三四五a"),
    ("a tagline at the lower limit: 5 ideographs", "小程序平台"),
    (
        "a description of 100 ideographs",
        "支付宝小程序平台为商家提供服务。" * 6 + "欢迎使用",
    ),
]


def _ranges(predicate: Callable[[str], bool]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if predicate(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return ranges


def table() -> dict[str, object]:
    return {
        "about": (
            "Weighted length of mini program texts (name 3..30, tagline 10..30, description "
            "20..200): CJK ideographs and full-width CJK punctuation weigh 2, any other code "
            "point 1; the validators trim surrounding whitespace first. Generated from "
            "services/miniprograms/miniprograms/domain.py by "
            "console/scripts/weighted-length-table.py; do not edit by hand."
        ),
        "unicode_version": unicodedata.unidata_version,
        "cases": [
            {
                "note": note,
                "text": text,
                "weight": weighted_length(text),
                "trimmed_weight": weighted_length(text.strip()),
            }
            for note, text in CASES
        ],
        "weighs_two_ranges": _ranges(_weighs_two),
        "refused_ranges": _ranges(has_control_characters),
        "whitespace": [code for code in range(sys.maxunicode + 1) if chr(code).isspace()],
    }


def main() -> int:
    text = json.dumps(table(), ensure_ascii=False, indent=1) + "\n"
    if "--check" in sys.argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
