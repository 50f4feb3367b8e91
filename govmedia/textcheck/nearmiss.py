"""Near-misses of canonical phrases: one character replaced, missing, extra, or two swapped.

Candidates come from the automaton: each canonical phrase of four or more characters contributes its two
halves (with one edit, one half survives intact) and its middle-swapped variant. A hit of a half fixes
where the phrase would start or end, so only three windows (lengths n-1, n, n+1) need the bounded
one-edit check below. Edits that only touch the ends of the phrase are ignored because they are not
errors but neighbouring text (an exact phrase followed by any character is "one extra character"),
except a replaced first/last character that sounds the same (主义 → 主意), which is a typical error.
"""

from __future__ import annotations

from functools import cache

from .matcher import HALF_LEFT, HALF_RIGHT, SWAPPED, Canonical

SUBSTITUTED, MISSING, EXTRA, SWAP = "sub", "del", "ins", "swap"


def one_edit(window: str, phrase: str) -> tuple[str, int] | None:
    """(kind, position) if ``window`` is exactly one edit (Damerau) away from ``phrase``, else None."""
    if window == phrase:
        return None
    lw, lp = len(window), len(phrase)
    i, m = 0, min(lw, lp)
    while i < m and window[i] == phrase[i]:
        i += 1
    if lw == lp:
        if window[i + 1 :] == phrase[i + 1 :]:
            return SUBSTITUTED, i
        swapped = i + 1 < lw and window[i] == phrase[i + 1] and window[i + 1] == phrase[i]
        if swapped and window[i + 2 :] == phrase[i + 2 :]:
            return SWAP, i
        return None
    if lw == lp + 1:
        return (EXTRA, i) if window[i + 1 :] == phrase[i:] else None
    if lw + 1 == lp:
        return (MISSING, i) if window[i:] == phrase[i + 1 :] else None
    return None


@cache
def _reading(ch: str) -> str:
    from pypinyin import lazy_pinyin  # only needed for the rare edge substitutions

    return lazy_pinyin(ch)[0]


def homophones(a: str, b: str) -> bool:
    return a != b and _reading(a) == _reading(b) and _reading(a) != a


def acceptable(kind: str, pos: int, window: str, phrase: str) -> bool:
    """Whether an edit is an error rather than the exact phrase meeting its neighbours."""
    n = len(phrase)
    if kind == EXTRA:
        return 0 < pos < n
    if kind == MISSING:
        return 0 < pos < n - 1
    if kind == SUBSTITUTED and pos in (0, n - 1):
        return homophones(window[pos], phrase[pos])
    return True


def _windows_after(text: str, start: int, phrase: str) -> list[tuple[int, int]]:
    """Windows starting at ``start`` that may be an acceptable edit of ``phrase``.

    Common halves (发展, 人民 …) hit everywhere, so cheap tests come first: an acceptable edit keeps the
    last character at the end of the window, except a swap of the last two or a replaced last character.
    """
    n, last, limit = len(phrase), phrase[-1], len(text)
    spans = [(start, start + length) for length in (n - 1, n + 1)
             if start + length <= limit and text[start + length - 1] == last]
    e = start + n
    if e <= limit and (text[e - 1] == last or text[e - 2] == last or text.startswith(phrase[:-1], start)):
        spans.append((start, e))
    return spans


def _windows_before(text: str, end: int, phrase: str) -> list[tuple[int, int]]:
    """Windows ending at ``end`` that may be an acceptable edit of ``phrase`` (mirror of the above)."""
    n, first = len(phrase), phrase[0]
    spans = [(end - length, end) for length in (n - 1, n + 1)
             if end - length >= 0 and text[end - length] == first]
    s = end - n
    if s >= 0 and (text[s] == first or text[s + 1] == first or text.startswith(phrase[1:], s + 1)):
        spans.append((s, end))
    return spans


def candidates(text: str, hits: list[tuple[int, int, int, int]], canonicals: list[Canonical]
               ) -> list[tuple[int, int, int, str, int]]:
    """Near-miss spans (canonical index, start, end, kind, position) in compact ``text``.

    ``hits`` are (kind, canonical index, start, end) from the scan.
    """
    found: dict[tuple[int, int, int], tuple[str, int]] = {}
    for kind, index, start, end in hits:
        phrase = canonicals[index].phrase
        # Most half hits belong to an exact occurrence of the phrase, which is never an error.
        if kind == HALF_LEFT:
            if text.startswith(phrase, start):
                continue
            spans = _windows_after(text, start, phrase)
        elif kind == HALF_RIGHT:
            if end >= len(phrase) and text.startswith(phrase, end - len(phrase)):
                continue
            spans = _windows_before(text, end, phrase)
        elif kind == SWAPPED:
            spans = [(start, end)]
        else:
            continue
        for s, e in spans:
            if (index, s, e) in found:
                continue
            edit = one_edit(text[s:e], phrase)
            if edit is not None and acceptable(*edit, text[s:e], phrase):
                found[(index, s, e)] = edit
    return [(index, s, e, kind, pos) for (index, s, e), (kind, pos) in found.items()]


def describe(kind: str, pos: int, window: str, phrase: str) -> str:
    """Chinese detail for the explanation, e.g. 错字：“意”应为“义”."""
    if kind == SUBSTITUTED:
        return f"错字：“{window[pos]}”应为“{phrase[pos]}”"
    if kind == MISSING:
        return f"漏字：缺“{phrase[pos]}”"
    if kind == EXTRA:
        return f"多字：多“{window[pos]}”"
    return f"字序颠倒：“{window[pos:pos + 2]}”应为“{phrase[pos:pos + 2]}”"
