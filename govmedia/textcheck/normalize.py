"""Text normalization that keeps every offset traceable to the original text.

Two stages, both cheap on the hot path:

1. ``fold`` maps characters one-to-one (full-width → half-width, upper → lower case, traditional →
   simplified, circled and other decorated digits/letters → ASCII). It never changes the length, so an
   offset in the folded text *is* an offset in the original.
2. ``compact`` drops "noise" (spaces, symbols, zero-width characters …) that evaders insert between
   the characters of a term (赌-博, 大*麻, 代 办 证 件). It records only the removed runs, which are rare
   in normal Chinese prose, and maps a compact offset back with one binary search.

The fold table is built once per process from ``unicodedata`` and OpenCC (one OpenCC call for the whole
CJK range, never per text).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from functools import cache
from itertools import accumulate

# Chars that OpenCC folds to another character although they are also correct simplified characters
# in their own right (乾坤, 哪吒, 麴 as a surname …). Folding them would make a correct text look like
# a wrong one, so they are kept. Found by checking which t2s results are encodable in GB2312.
_KEEP_UNFOLDED = frozenset("乾吒捱榘薹袷麴")

# The full-width punctuation of ordinary Chinese prose. Folding it to ASCII would not help matching (it
# is not noise either way) but would make nearly every sentence pay for folding; rules accept both forms.
_KEEP_PUNCTUATION = frozenset("，！？：；（）")

# Decorated digits whose NFKC form is several characters ("⑴" → "(1)"); folded to the bare digit so
# that 加微信①③⑧… is read as digits.
_DIGIT_RANGES = (0x2474, 0x2488, 0x2776, 0x2780, 0x278A, 0x24F5)  # each starts a run of 1..9
_LETTER_RANGES = (0x249C,)  # ⒜ … ⒵


def _noise_class(astral: bool = True) -> str:
    ranges = [
        " \t\x0b\x0c",  # whitespace except line breaks, which end a term
        re.escape("\"#$%&'*+-./<=>@[\\]^_`{|}~"),  # ASCII symbols but not ,!?;:() which carry meaning
        "\u00b7\u2022\u2027\u2219\u30fb",  # middle dots and bullets; 、 separates list items, so it ends a term
        "\u2018\u2019\u201c\u201d\u300c-\u300f",  # quotation marks: official prose quotes parts of a formulation
        "\u2010-\u2015\u2e3a\u2e3b\u301c",  # dashes and wave dash
        "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f",  # invisible format chars
        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0",
        "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f",  # combining marks
        "\u2190-\u21ff\u2300-\u23ff\u2500-\u25ff\u2600-\u2604\u2607-\u26ff",  # arrows, boxes, shapes
        "\u2700-\u2775\u2794-\u27bf\u2b00-\u2bff",  # dingbats; ★☆ (2605/2606) stay: secret markings
    ]
    if astral:
        ranges.append("\U0001f000-\U0001faff\U000e0000-\U000e007f\U000e0100-\U000e01ef")  # emoji, tags
    return "[" + "".join(ranges) + "]"


# Two versions of each character class: regex engines test a class of BMP characters with a bitmap, but
# one astral range turns the test into a walk over every range (5× slower). The astral-aware versions
# run only on text that contains astral characters, which a fast search tells.
NOISE_CLASS = _noise_class()
NOISE_RE = re.compile(NOISE_CLASS + "+")
_NOISE_SPLIT_RE = re.compile(f"({NOISE_CLASS}+)")
_NOISE_BMP_SPLIT_RE = re.compile(f"({_noise_class(astral=False)}+)")
_NOISE_CHAR_RE = re.compile(NOISE_CLASS)
ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def has_astral(text: str) -> bool:
    return not text.isascii() and ASTRAL_RE.search(text) is not None


def is_noise(ch: str) -> bool:
    return _NOISE_CHAR_RE.fullmatch(ch) is not None


def _t2s_single() -> dict[str, str]:
    """Traditional → simplified for single characters, 1:1 only, from one OpenCC call."""
    import opencc  # imported here: only needed while the table is built

    chars = [chr(cp) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for cp in range(*r)]
    # Newlines between the characters stop OpenCC's phrase rules from looking across them. Hong Kong
    # variants (衞 → 卫) are only in hk2s; t2s decides where the two disagree.
    joined = "\n".join(chars)
    table = {}
    for config in ("hk2s", "t2s"):
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        for src, dst in zip(chars, converted, strict=True):
            if src == dst or len(dst) != 1 or src in _KEEP_UNFOLDED:
                continue
            table[src] = dst
    return table


@cache
def fold_table() -> dict[int, str]:
    """The one-to-one fold table for ``str.translate``: code point → replacement character."""
    t2s = _t2s_single()
    extra: dict[str, str] = {}
    for base in _DIGIT_RANGES:
        for i in range(9):
            extra[chr(base + i)] = str(i + 1)
    extra["\u24ff"] = "0"  # ⓿
    for base in _LETTER_RANGES:
        for i in range(26):
            extra[chr(base + i)] = chr(ord("a") + i)
    table: dict[int, str] = {}
    code_points = [*range(0xD800), *range(0xE000, 0x10000), *range(0x1D400, 0x1D800),
                   *range(0x1F100, 0x1F200), *range(0x2F800, 0x2FA20)]
    for cp in code_points:
        ch = chr(cp)
        out = extra.get(ch)
        if ch in _KEEP_PUNCTUATION:
            continue
        if out is None:
            nfkc = unicodedata.normalize("NFKC", ch)
            out = nfkc if len(nfkc) == 1 else ch
        out = t2s.get(out, out)
        lower = out.lower()
        if len(lower) == 1:
            out = lower
        if out != ch:
            table[cp] = out
    return table


def _class_of(code_points: list[int]) -> str:
    """A compact regex character class (ranges) for sorted code points."""
    parts = []
    i = 0
    while i < len(code_points):
        j = i
        while j + 1 < len(code_points) and code_points[j + 1] == code_points[j] + 1:
            j += 1
        a, b = code_points[i], code_points[j]
        parts.append(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}")
        i = j + 1
    return "[" + "".join(parts) + "]"


@cache
def _fold_re(astral: bool, ascii_upper: bool) -> re.Pattern[str]:
    points = [cp for cp in fold_table()
              if (astral or cp < 0x10000) and (ascii_upper or not 0x41 <= cp <= 0x5A)]
    return re.compile("(" + _class_of(sorted(points)) + "+)")


def fold(text: str, astral: bool | None = None) -> str:
    """Fold ``text`` one character to one character (same length, same offsets).

    ``astral`` may pass on what ``has_astral(text)`` said, to avoid searching twice.
    """
    if text.isascii():
        return text.lower()  # C fast path; ASCII lowercasing is one-to-one
    table = fold_table()
    if astral is None:
        astral = has_astral(text)
    # Latin capitals are the most frequent characters to fold (APP, GDP), and str.lower does them in C.
    # It is one-to-one unless the length changes (only for a few letters such as İ); then the table
    # does everything. Folding a character and folding its lower case agree (checked in the tests).
    lowered = text.lower()
    if len(lowered) == len(text):
        text, upper = lowered, False
    else:
        upper = True
    # Only the rare characters that need folding are touched; a full str.translate over Chinese text
    # costs a dict lookup per character and is several times slower. split() with a capturing group puts
    # the runs to fold at the odd indexes, with no match object or callback per run.
    parts = _fold_re(astral, upper).split(text)
    if len(parts) == 1:
        return text
    parts[1::2] = [run.translate(table) for run in parts[1::2]]
    return "".join(parts)


def normalize_term(term: str) -> str:
    """The form a lexicon term is matched in: folded and without noise characters."""
    return NOISE_RE.sub("", fold(term))


class Compact:
    """Folded text with the noise removed, plus what is needed to map offsets back.

    ``runs`` holds, for every removed run of noise, the compact offset at which it was removed, and
    ``shifts`` the total number of characters removed up to and including that run.
    """

    __slots__ = ("text", "runs", "shifts", "_run_starts")

    def __init__(self, folded: str, astral: bool | None = None):
        if astral is None:
            astral = has_astral(folded)
        # split() with a capturing group alternates kept text and noise runs: [kept, noise, kept, …, kept].
        # Everything below runs in C (no Python code per run), which matters: 、 alone is one run per
        # sentence or two.
        parts = (_NOISE_SPLIT_RE if astral else _NOISE_BMP_SPLIT_RE).split(folded)
        self._run_starts: list[int] | None = None
        if len(parts) == 1:
            self.text, self.runs, self.shifts = folded, array("q"), array("q")
            return
        self.text = "".join(parts[0::2])
        self.runs = array("q", accumulate(map(len, parts[0:-1:2])))
        self.shifts = array("q", accumulate(map(len, parts[1::2])))

    def orig(self, pos: int) -> int:
        """Original offset of the character at compact offset ``pos``."""
        k = bisect_right(self.runs, pos)
        return pos + self.shifts[k - 1] if k else pos

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering the compact characters [start, end)."""
        return self.orig(start), self.orig(end - 1) + 1

    def compact_pos(self, pos: int) -> int:
        """Compact offset of the first kept character at or after original offset ``pos``."""
        if self._run_starts is None:  # original offsets of the runs, needed only for this rare direction
            self._run_starts = [run + (self.shifts[k - 1] if k else 0) for k, run in enumerate(self.runs)]
        k = bisect_right(self._run_starts, pos) - 1
        if k < 0:
            return pos
        removed_before = self.shifts[k - 1] if k else 0
        if pos < self._run_starts[k] + self.shifts[k] - removed_before:  # inside run k
            return self.runs[k]
        return pos - self.shifts[k]

    def compact_span(self, start: int, end: int) -> tuple[int, int]:
        """Compact [start, end) of the kept characters within original [start, end)."""
        return self.compact_pos(start), self.compact_pos(end)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Lone surrogates (from broken JSON or UTF-16) cannot be encoded for the automaton or the segmenter;
    they are never part of a term or word, so a same-length placeholder keeps every offset."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text
