"""Typos that are on no list: segmentation, plausible confusions and a character language model.

Contract with ``checker.Checker``: ``Speller(names).find(text, folded, compact, lo, hi)`` returns finding
tuples in the checker's window format (start, end, category, priority, suggestion, rule, source,
explanation, compact start, compact end, confidence), offsets into ``text``, for findings starting in
[lo, hi). ``names`` are proper names (units, people, places) never reported.

How a typo is found:
1. Suspect spans. rjieba segments the folded text against jieba's dictionary. A run of tokens of 2 to 4
   characters that includes a single-character token (the pieces a misspelt word falls into: 急/燥,
   一/愁/莫/展) is suspect when it is no frequent word itself but one character away from one or from an
   idiom (the wildcard index answers both in one lookup per position). A dictionary word far rarer than a
   confusable spelling of it (精减 against 精简) is suspect too.
2. Only plausible substitutions count: a homophone (pypinyin, the same-pinyin table) or a similar shape.
3. The character language model compares the original and the corrected text around the change; a
   candidate is reported when the corrected text is more probable by a margin that depends on the
   evidence (an idiom needs little, a real word such as 必需 needs much).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..categories import TYPO
from . import model

SOURCE = "builtin:spelling"
PRIORITY = 50  # a listed typo on the same span wins: its suggestion was written by a person
MIN_CONFIDENCE = 0.5

# Evidence a candidate brings before the language model speaks (log-odds units). Tuned on the SIGHAN dev
# split and the held-out People's Daily lines only.
PRIOR = {"idiom": 4.0, "word": 0.0, "rare": -3.0}
SHAPE_PENALTY = 1.0  # a similar shape is a weaker confusion than a homophone
THRESHOLD = 3.0  # log-probability margin (plus prior) at which the confidence is 0.5
REASON = {"idiom": "成语", "word": "词语", "rare": "语境"}


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


class Speller:
    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = frozenset(n for n in names if n)
        self._names_ac = None

    # -- suspects ---------------------------------------------------------------------------------------

    def _candidates(self, folded: str):
        """(start, end, position, replacement, kind, prior) for each plausible one-character correction."""
        import rjieba

        homo, shape = model.confusions()
        words, idioms = model.wildcard()
        suspects = model.suspects()
        tokens = rjieba.cut(folded, hmm=False)
        starts = []
        pos = 0
        for tok in tokens:
            starts.append(pos)
            pos += len(tok)
        starts.append(pos)
        out = []
        n = len(tokens)
        for k, tok in enumerate(tokens):
            if len(tok) > 1:
                hit = suspects.get(tok)
                if hit:
                    s = starts[k]
                    for target, ratio in hit:
                        j = next(i for i in range(len(tok)) if tok[i] != target[i])
                        out.append((s, s + len(tok), s + j, target[j], "rare", PRIOR["rare"] + ratio))
                continue
            if not _is_han(tok):
                continue
            # windows of whole tokens, 2 to 4 characters, that contain this single-character token and
            # start at it or at one of the (at most three) tokens before it
            for i in range(k, max(-1, k - 3), -1):
                if starts[k + 1] - starts[i] > 4:
                    break
                for j in range(k + 1, min(n, i + 4) + 1):
                    width = starts[j] - starts[i]
                    if width > 4:
                        break
                    if width < 2 or j - i < 2:
                        continue
                    window = folded[starts[i]:starts[j]]
                    if not all(map(_is_han, window)):
                        continue
                    self._window_candidates(window, starts[i], words, idioms, homo, shape, out)
        return out

    @staticmethod
    def _window_candidates(window, s, words, idioms, homo, shape, out):
        keys = [window[:p] + "?" + window[p + 1:] for p in range(len(window))]
        for p, key in enumerate(keys):
            if window[p] in words.get(key, ""):
                return  # the window is a frequent word already
        for p, key in enumerate(keys):
            ch = window[p]
            near_h, near_s = homo.get(ch, ""), shape.get(ch, "")
            for table, kind in ((idioms, "idiom"), (words, "word")):
                fills = table.get(key)
                if not fills:
                    continue
                for c in fills:
                    if c in near_h:
                        out.append((s, s + len(window), s + p, c, kind, PRIOR[kind]))
                    elif c in near_s:
                        out.append((s, s + len(window), s + p, c, kind, PRIOR[kind] - SHAPE_PENALTY))

    # -- names ------------------------------------------------------------------------------------------

    def _name_spans(self, folded: str) -> list[tuple[int, int]]:
        if not self.names:
            return []
        if self._names_ac is None:
            import ahocorasick_rs

            from ..normalize import fold

            self._names_ac = ahocorasick_rs.AhoCorasick(sorted({fold(n) for n in self.names}))
        return [(s, e) for _, s, e in self._names_ac.find_matches_as_indexes(folded, overlapping=True)]

    @staticmethod
    def _in_place_name(folded: str, s: int, e: int) -> bool:
        places = model.places()
        for a in range(max(0, s - 4), s + 1):
            for b in range(e, min(len(folded), e + 4) + 1):
                if folded[a:b] in places:
                    return True
        return False

    # -- the contract -----------------------------------------------------------------------------------

    def scored(self, folded: str, lo: int = 0, hi: int | None = None) -> list[tuple]:
        """(score, start, end, position, replacement, kind) for the candidates starting in [lo, hi),
        best first, none overlapping a better one."""
        hi = len(folded) if hi is None else hi
        candidates = {c for c in self._candidates(folded) if lo <= c[0] < hi}
        if not candidates:
            return []
        lm = model.language_model()
        scored = []
        for s, e, p, c, kind, prior in candidates:
            a, b = max(0, s - 2), min(len(folded), e + 2)
            before = folded[a:b]
            after = before[:p - a] + c + before[p - a + 1:]
            margin = lm.score(after, p - a, p - a + 1) - lm.score(before, p - a, p - a + 1)
            seen = max(lm.count(folded[q:q + 2]) for q in range(max(s, p - 1), min(e - 1, p + 1)))
            scored.append((margin + prior, s, e, p, c, kind, seen))
        scored.sort(reverse=True)
        kept: list[tuple] = []
        for item in scored:
            if all(item[2] <= k[1] or k[2] <= item[1] for k in kept):
                kept.append(item)
        return kept

    def find(self, text: str, folded: str, compact, lo: int, hi: int) -> list[tuple]:
        found = []
        name_spans = None
        homo = None
        for score, s, e, p, c, kind, seen in self.scored(folded, lo, hi):
            confidence = 1 / (1 + math.exp(-(score - THRESHOLD)))
            if confidence < MIN_CONFIDENCE:
                break
            if name_spans is None:
                name_spans = self._name_spans(folded)
                homo = model.confusions()[0]
            if any(ns < e and s < ne for ns, ne in name_spans) or self._in_place_name(folded, s, e):
                continue
            relation = "同音" if c in homo.get(folded[p], "") else "形近"
            suggestion = text[s:p] + c + text[p + 1:e]
            explanation = (f"疑似错别字，建议改为“{suggestion}”（“{text[p]}”与“{c}”{relation}；"
                           f"{REASON[kind]}依据，置信度{confidence:.2f}）")
            cs, ce = compact.compact_span(s, e)
            found.append((s, e, TYPO, PRIORITY, suggestion, f"spelling:{kind}", SOURCE, explanation, cs, ce,
                          round(confidence, 3)))
        return found
