"""Near-misses of canonical phrases: one character replaced, missing, extra, or two swapped; in long
phrases also two replaced characters.

Candidates come from the automaton: each canonical phrase of four or more characters contributes its two
halves (with one edit, one half survives intact) and its middle-swapped variant; a phrase of
``TWO_SUBSTITUTIONS_MIN`` or more characters also contributes its three thirds (two replaced characters
leave one third intact). A hit of a half or third fixes where the phrase would start or end, so only a
few windows need the bounded check below. Edits that only touch the ends of the phrase are ignored because
they are not errors but neighbouring text (an exact phrase followed by any character is "one extra
character"), except a replaced first/last character that sounds the same (主义 → 主意), which is a typical
error, and a replaced last character of a longer phrase that leaves no word behind (价值观 → 价值现): a
replaced last character that makes a word (中国特色社会主义道路 → …道德, 思想 → 思潮) is another, correct
continuation, so it needs a vocabulary, which is pluggable (``set_vocabulary``). The same vocabulary tells
an extra character that makes a word with the phrase character beside it (局 → 总局: 国家市场监督管理总局) as
a longer, correct name.

Two replaced characters are reported only when each sounds like the character it replaces (注意 for 主义 —
the typical slip of a pinyin input method); other pairs of changes (发展 → 完善) are as often another correct
phrase. A similar-shape table can be added with ``add_confusion``.

What is never an error: an inserted or replacing punctuation mark (不忘初心、牢记使命 is the phrase with its
pause); a last character replaced by another organisation suffix (人力资源和社会保障局 → …厅 names the provincial
body); a window that is itself a part of another canonical phrase (社会主义现代化国家).
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from collections.abc import Callable, Container
from functools import cache
from operator import ne
from pathlib import Path

from .matcher import HALF_LEFT, HALF_RIGHT, PART, SWAPPED, Canonical

SUBSTITUTED, MISSING, EXTRA, SWAP, TWO_SUBSTITUTED = "sub", "del", "ins", "swap", "sub2"
# A replaced last character that does not sound the same counts only in phrases this long: in shorter ones
# nearly any replacement is some other word the vocabulary may not know (全面从严治党 → 全面从严治团, the
# Youth League's own formulation).
LAST_CHARACTER_MIN = 8
# Last characters that name a kind of body: one replaced by another names a different, legitimate body
# (人力资源和社会保障局 of a city, …厅 of a province; 委员会, 办公室, 中心, 研究所 …).
ORGANISATION_SUFFIXES = frozenset("厅局委办署部院处所站室队会社团司科股组校馆园")


def _is_punctuation(ch: str) -> bool:
    return not ch.isalnum()

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
def _pinyin_table() -> dict[str, str]:
    """Codepoint → comma-separated toned readings, read straight from pypinyin's data file: importing
    pypinyin itself loads its phrase dictionary and segmenter (about 0.5 s) that single characters do not
    need."""
    spec = importlib.util.find_spec("pypinyin")
    if spec and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    from pypinyin.pinyin_dict import pinyin_dict  # an older layout without the JSON file

    return {str(k): v for k, v in pinyin_dict.items()}


def _toneless(syllable: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch == "\u0308" and out:  # ü: kept apart from u, as pinyin input writes it (lü → lv)
            out[-1] = "v"
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out)


@cache
def _all_readings(ch: str) -> tuple[str, ...]:
    """Toneless readings of ``ch``, the most common first; () for anything that is not a Chinese character."""
    readings = _pinyin_table().get(str(ord(ch)), "") if len(ch) == 1 else ""
    return tuple(dict.fromkeys(_toneless(r) for r in readings.split(",") if r))


def _reading(ch: str) -> str:
    readings = _all_readings(ch)
    return readings[0] if readings else ch


@cache
def _readings(ch: str) -> frozenset[str]:
    """Every toneless reading of ``ch`` (多音字 have several), each also with the usual fuzzy merges."""
    out = set()
    for syllable in _all_readings(ch):
        out.add(syllable)
        out.add(_fuzzy(syllable))
    return frozenset(out)


def _fuzzy(syllable: str) -> str:
    """zh/ch/sh → z/c/s, n → l, -ang/-eng/-ing → -an/-en/-in: the confusions of pinyin input and dialects."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
    if syllable.startswith("n") and len(syllable) > 1:
        syllable = "l" + syllable[1:]
    if syllable.endswith("ng") and len(syllable) > 2 and syllable[-3] in "aei":
        syllable = syllable[:-1]
    return "*" + syllable  # fuzzy forms never equal an exact one


def homophones(a: str, b: str) -> bool:
    return a != b and _reading(a) == _reading(b) and _reading(a) != a


_confusions: list[Callable[[str, str], bool]] = []


def add_confusion(predicate: Callable[[str, str], bool]) -> None:
    """Register another test of two characters being confusable (e.g. a similar-shape table)."""
    if predicate not in _confusions:
        _confusions.append(predicate)


def confusable(a: str, b: str) -> bool:
    """Whether ``b`` written for ``a`` is a plausible slip: a similar reading, or a registered confusion."""
    if a == b:
        return False
    if _readings(a) & _readings(b):
        return True
    return any(predicate(a, b) for predicate in _confusions)


_vocabulary: Container[str] | None = None
_vocabulary_loaded = False


def set_vocabulary(words: Container[str] | None) -> None:
    """Words that make a replaced last character a correct continuation; None: the default (jieba's
    dictionary, as built into the segmenter rjieba). An empty container turns the non-homophone last-character rule
    off."""
    global _vocabulary, _vocabulary_loaded
    _vocabulary, _vocabulary_loaded = words, words is not None


def vocabulary() -> Container[str]:
    global _vocabulary, _vocabulary_loaded
    if not _vocabulary_loaded:
        _vocabulary, _vocabulary_loaded = _default_vocabulary(), True
    return _vocabulary


class _SegmenterDictionary:
    """The segmenter's own dictionary (jieba's, built into rjieba), asked word by word."""

    def __contains__(self, word: object) -> bool:
        import rjieba  # loads its dictionary on first use, only when such a candidate appears

        return isinstance(word, str) and rjieba.has_word(word)


def _default_vocabulary() -> Container[str]:
    return _SegmenterDictionary()


def _makes_a_word(text: str, end: int, words: Container[str]) -> bool:
    """Whether the character at ``end - 1`` forms a word with its neighbours (two to four characters)."""
    for a, b in ((end - 2, end), (end - 3, end), (end - 4, end), (end - 1, end + 1), (end - 1, end + 2),
                 (end - 2, end + 1)):
        if a >= 0 and b <= len(text) and text[a:b] in words:
            return True
    return False


def _extends_a_word(window: str, pos: int, words: Container[str]) -> bool:
    """Whether the extra character at ``pos`` makes a longer word with the phrase characters beside it
    (局 → 总局 in 市场监督管理总局): another, longer correct name rather than a slip. A doubled character
    (两个个维护) is the typical slip even when the pair is a word (个个)."""
    ch = window[pos]
    if window[pos - 1 : pos] == ch or window[pos + 1 : pos + 2] == ch:
        return False
    for a, b in ((pos, pos + 2), (pos, pos + 3), (pos - 1, pos + 1), (pos - 2, pos + 1)):
        if a >= 0 and b <= len(window) and window[a:b] in words:
            return True
    return False


def acceptable(kind: str, pos: int, window: str, phrase: str) -> bool:
    """Whether an edit is an error rather than the exact phrase meeting its neighbours.

    A replaced last character that does not sound the same is only a candidate here; ``candidates`` then
    asks the vocabulary whether it makes a word with the text around it.
    """
    n = len(phrase)
    if kind == EXTRA:
        # An inserted punctuation mark is the phrase written with its usual pause (不忘初心、牢记使命,
        # 碳达峰、碳中和), never a slip of the pen.
        return 0 < pos < n and not _is_punctuation(window[pos])
    if kind == MISSING:
        return 0 < pos < n - 1
    if kind == SUBSTITUTED:
        if _is_punctuation(window[pos]):
            return False
        if pos in (0, n - 1):
            if homophones(window[pos], phrase[pos]):
                return True
            return (pos == n - 1 and n >= LAST_CHARACTER_MIN
                    and not (window[pos] in ORGANISATION_SUFFIXES and phrase[pos] in ORGANISATION_SUFFIXES))
    return True


def two_substitutions(window: str, phrase: str) -> tuple[int, int] | None:
    """The two positions where same-length ``window`` differs from ``phrase``, if exactly two, else None."""
    # Counting in C first: almost every part hit belongs to unrelated text and differs in many places.
    if sum(map(ne, window, phrase)) != 2:
        return None
    i = next(k for k in range(len(phrase)) if window[k] != phrase[k])
    j = next(k for k in range(i + 1, len(phrase)) if window[k] != phrase[k])
    return i, j


@cache
def _probes(n: int, offset: int, length: int) -> tuple[int, int, int]:
    """Three positions of an n-character phrase outside its part [offset, offset + length), spread out."""
    outside = [k for k in range(n) if not offset <= k < offset + length]
    return outside[0], outside[len(outside) // 2], outside[-1]


def _acceptable_pair(i: int, j: int, window: str, phrase: str) -> bool:
    n = len(phrase)
    for k in (i, j):
        if not confusable(phrase[k], window[k]):
            return False
        if k in (0, n - 1) and not homophones(window[k], phrase[k]):
            return False
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


def candidates(text: str, hits: list[tuple[int, object, int, int]], canonicals: list[Canonical],
               prefixes: Container[str] = frozenset()) -> list[tuple[int, int, int, str, int]]:
    """Near-miss spans (canonical index, start, end, kind, position) in compact ``text``.

    ``hits`` are (kind, payload, start, end) from the scan; the payload is the canonical index, or
    (index, offset) for a part. ``prefixes`` are beginnings of canonical phrases: a window that is one is a
    correct formulation.
    """
    found: dict[tuple[int, int, int], tuple[str, int]] = {}
    tails: list[tuple[int, int, int]] = []
    pairs_seen: dict[tuple[int, str], tuple[int, int] | None] = {}
    for kind, payload, start, end in hits:
        if kind == PART:
            index, offset = payload
            phrase = canonicals[index].phrase
            n = len(phrase)
            s = start - offset
            e = s + n
            if s < 0 or e > len(text):
                continue
            # Common parts (全面, 社会 …) hit everywhere: three characters outside the part, all different,
            # already mean three changes, and most hits end there.
            p, q, r = _probes(n, offset, end - start)
            if text[s + p] != phrase[p] and text[s + q] != phrase[q] and text[s + r] != phrase[r]:
                continue
            if (index, s, e) in found or text.startswith(phrase, s):
                continue
            window = text[s:e]
            # Repetitive text (社会主义社会主义…) brings the same window again and again: decided once.
            key = (index, window)
            pair = pairs_seen[key] if key in pairs_seen else pairs_seen.setdefault(key, (
                two_substitutions(window, phrase)))
            if pair is not None and _acceptable_pair(*pair, window, phrase) and window not in prefixes:
                found[(index, s, e)] = (TWO_SUBSTITUTED, pair[0])
                if pair[1] == len(phrase) - 1:
                    tails.append((index, s, e))
            continue
        index = payload
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
            window = text[s:e]
            edit = one_edit(window, phrase)
            if edit is None or not acceptable(*edit, window, phrase) or window in prefixes:
                continue
            found[(index, s, e)] = edit
            if edit[0] == SUBSTITUTED and edit[1] == len(phrase) - 1 or edit[0] == EXTRA:
                tails.append((index, s, e))
    if tails:
        # An extra character that makes a word with the phrase characters beside it names something longer
        # and correct (市场监督管理总局, 国家税务总局).
        # A replaced last character that sounds different and makes a word with its neighbours is another,
        # correct continuation (道路 → 道德, 思想 → 思潮); the vocabulary is only loaded when one exists.
        words = vocabulary()
        for index, s, e in tails:
            kind, pos = found[(index, s, e)]
            if kind == EXTRA:
                if words and _extends_a_word(text[s:e], pos, words):
                    del found[(index, s, e)]
                continue
            phrase = canonicals[index].phrase
            if homophones(text[e - 1], phrase[-1]):
                continue  # a homophone slip stays one even when it makes a word (文化自信 → 文化自新)
            if not words or _makes_a_word(text, e, words):
                del found[(index, s, e)]
    return [(index, s, e, kind, pos) for (index, s, e), (kind, pos) in found.items()]


def describe(kind: str, pos: int, window: str, phrase: str) -> str:
    """Chinese detail for the explanation, e.g. 错字：“意”应为“义”."""
    if kind == SUBSTITUTED:
        return f"错字：“{window[pos]}”应为“{phrase[pos]}”"
    if kind == TWO_SUBSTITUTED:
        return "错字：" + "，".join(f"“{w}”应为“{p}”" for w, p in zip(window, phrase, strict=True) if w != p)
    if kind == MISSING:
        return f"漏字：缺“{phrase[pos]}”"
    if kind == EXTRA:
        return f"多字：多“{window[pos]}”"
    return f"字序颠倒：“{window[pos:pos + 2]}”应为“{phrase[pos:pos + 2]}”"
