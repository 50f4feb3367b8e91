"""Typos that are on no list: segmentation, plausible confusions and a word language model.

Contract with ``checker.Checker``: ``Speller(names).find(text, folded, compact, lo, hi)`` returns finding
tuples in the checker's window format (start, end, category, priority, suggestion, rule, source,
explanation, compact start, compact end, confidence), offsets into ``text``, for findings starting in
[lo, hi). ``names`` are proper names (units, people, places) never reported.

How a typo is found:
1. Suspect spans. rjieba segments the folded text against jieba's dictionary. A run of tokens of 2 to 4
   characters that includes a single-character token (the pieces a misspelt word falls into: 急/燥,
   一/愁/莫/展) is suspect when it is no frequent word itself but one character away from one (a wildcard
   index: the word with one position blanked → the characters completing it) or from an idiom (each half
   of an idiom → the other halves). Only single characters that sit next to a pair the corpus rarely saw
   open windows: most text is never looked up. A dictionary word far rarer than a spelling that reads
   exactly the same (精减 against 精简) is suspect too.
2. Only plausible substitutions count: a homophone (pypinyin, the same-pinyin table), a similar shape
   (the same-stroke table) or a similar sound (zh/z, n/l, -ng/-n … merged), which needs more evidence.
   A single-character word often written for another (的 for 地, 根 for 跟, 门 for 们: ``pairs.txt``)
   is tried wherever it stands alone: it breaks no word, so only context can tell.
3. The word language model (fcitx's KenLM word trigrams) scores a few Han characters on each side of
   the change, segmented afresh, before and after it; a candidate is reported when the corrected text
   is more probable by a margin (log10) that depends on the evidence (an idiom needs little, a real
   word completed by another needs much). Names passed in, shipped place names, what jieba reads as a
   proper name (杨萍, 芒颜), rare characters (terms) and accepted variants are never reported.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from itertools import accumulate

from ..categories import TYPO
from ..normalize import replace_surrogates
from . import model

SOURCE = "builtin:spelling"
_HAN_ONLY = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+").fullmatch
_SENTENCE_ENDS = "。！？；\n"
PIECE = 1 << 14  # characters segmented at a time, give or take a sentence
PROSE_SENTENCE = 1000  # average characters per sentence above which a piece is not prose (see _is_prose)
PRIORITY = 50  # a listed typo on the same span wins: its suggestion was written by a person
MIN_CONFIDENCE = 0.5

# Weights of the evidence, in log10 units of the word language model's margin. Tuned on the SIGHAN dev
# split and held-out People's Daily sentences (clean prose) only. The margin must beat THRESHOLD minus the
# prior: an idiom one character off is strong evidence by itself; a window that merely completes a frequent
# word needs a wide margin, because official prose is full of abbreviations and terms that no dictionary
# knows (扩量提质, 烟弹) and that a frequent word one character away always beats.
PRIOR = {"idiom": 1.5, "word": -3.0, "rare": -0.5, "pair": 0.5}
RELATION_PENALTY = {"homo": 0.0, "shape": 0.0, "sound": 0.5}  # a merely similar sound is a weaker cue
THRESHOLD = 3.0
SCALE = 1.5  # log-odds per unit (log10) of margin, so that confidence grows gently past the threshold
CONTEXT = 4  # Han characters on each side of a change that the language model scores
# Characters before and after [lo, hi) whose candidates also take part in the overlap contest: a chain of
# overlapping candidates (each at most 4 characters) longer than this is not seen in prose.
OVERLAP_REACH = 16
# Part-of-speech tags (jieba's) of proper names: a character inside one is a name, not a slip (杨萍, 芒颜)
NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})
NAME_CONTEXT = 8  # characters on each side that jieba sees when it guesses whether a word is a name
# An input method offers frequent characters first, so a slip is rarely a character the corpus hardly
# knows; in official prose such a character is mostly part of a technical term or a name (依托咪酯).
RARE_CHAR = 5
# Variant spellings accepted in official writing (著力 and 着力), and a pair that no conversion from
# traditional characters can tell apart: neither is reported as a typo of the other.
VARIANTS = frozenset({("著", "着"), ("着", "著")})
REASON = {"idiom": "成语", "word": "词语", "rare": "语境", "pair": "语境"}
RELATION = {"homo": "同音", "shape": "形近", "sound": "音近"}


def score(kind: str, relation: str, margin: float) -> float:
    """Log-odds that the candidate is a real typo; 0 is a confidence of 0.5."""
    return SCALE * (margin + PRIOR[kind] - RELATION_PENALTY[relation] - THRESHOLD)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _idiom_candidates(window: str, heads: dict[str, str], tails: dict[str, str]) -> list[tuple] | None:
    """(position, replacement) completing an idiom one character away; None if the window is an idiom."""
    found = []
    for others, offset in ((heads.get(window[:2]), 2), (tails.get(window[2:]), 0)):
        if not others:
            continue
        rest = window[offset:offset + 2]
        for i in range(0, len(others), 2):
            other = others[i:i + 2]
            if other == rest:
                return None
            if other[0] == rest[0]:
                if other[1] != rest[1]:
                    found.append((offset + 1, other[1]))
            elif other[1] == rest[1]:
                found.append((offset, other[0]))
    return found


def _confusable(ch: str, chars: str, confusions) -> list[tuple[str, str]]:
    """(replacement, relation) for the characters of ``chars`` that are plausible slips for ``ch``."""
    homo, shape, near = (table.get(ch, "") for table in confusions)
    pool = homo + shape + near
    # scanning the shorter string and searching the longer keeps the work in C
    hits = [c for c in chars if c in pool] if len(chars) <= len(pool) else [c for c in dict.fromkeys(pool) if c in chars]
    return [(c, "homo" if c in homo else "shape" if c in shape else "sound") for c in hits]


def _window_candidates(window: str, odd: list[bool], words, idioms, confusions) -> list[tuple]:
    """(position, replacement, kind, relation) completing a frequent word or an idiom. For a word, only at
    the ``odd`` positions: single-character tokens that sit in no common pair. An idiom is fixed: even a
    character in a common pair (一股作气) can be its slip."""
    found = []
    if len(window) == 4:
        completions = _idiom_candidates(window, *idioms)
        if completions is None:
            return []  # the window is an idiom
        for p, c in completions:
            found.extend((p, r, "idiom", relation) for r, relation in _confusable(window[p], c, confusions))
    looked = [False] * len(window)
    for p in range(len(window)):
        if odd[p]:
            looked[p] = True
            chars = words.get(window[:p] + "?" + window[p + 1:])
            if not chars:
                continue
            if window[p] in chars:
                return []  # the window is a frequent word already
            found.extend((p, c, "word", relation) for c, relation in _confusable(window[p], chars, confusions))
    if found:  # the positions not looked up may still show that the window is a frequent word
        for p, ch in enumerate(window):
            if not looked[p] and ch in words.get(window[:p] + "?" + window[p + 1:], ""):
                return []
    return found


def _window(folded: str, s: int, e: int) -> tuple[int, int, bool, bool]:
    """[a, b) of up to CONTEXT Han characters on each side of [s, e), and whether it reaches the start
    or the end of its run of Han characters (the model scores a sentence start and end)."""
    a = s
    while a > s - CONTEXT and a > 0 and _is_han(folded[a - 1]):
        a -= 1
    b = e
    while b < e + CONTEXT and b < len(folded) and _is_han(folded[b]):
        b += 1
    return a, b, a == 0 or not _is_han(folded[a - 1]), b == len(folded) or not _is_han(folded[b])


def _in_tagged_name(folded: str, p: int) -> bool:
    """Whether jieba, guessing new words, reads the character at p as part of a proper name."""
    import rjieba

    at = max(0, p - NAME_CONTEXT)
    for word, tag in rjieba.tag(folded[at:p + NAME_CONTEXT + 1], hmm=True):
        if at + len(word) > p:
            return len(word) > 1 and tag in NAME_TAGS
        at += len(word)
    return False


def _relation(ch: str, c: str, confusions) -> str:
    homo, shape, _ = confusions
    return "homo" if c in homo.get(ch, "") else "shape" if c in shape.get(ch, "") else "sound"


def _is_prose(folded: str, a: int, b: int) -> bool:
    """The speller's budget: a piece with sentences longer than PROSE_SENTENCE on average (a dump without
    punctuation, one character repeated, random characters) is not prose; segmenting and scoring it costs
    seconds per megabyte and its "typos" mean nothing, so it is skipped without a finding."""
    ends = sum(folded.count(end, a, b) for end in _SENTENCE_ENDS)
    return b - a <= PROSE_SENTENCE * (ends + 1)


class Speller:
    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = frozenset(n for n in names if n)
        self._names_ac = None
        self.pieces_checked = 0  # pieces that passed the prose budget and were segmented

    @property
    def version(self) -> str:
        """Of the data and the weights: what decides the findings (the names are the caller's)."""
        weights = (PRIOR, RELATION_PENALTY, THRESHOLD, SCALE, MIN_CONFIDENCE, RARE_CHAR, sorted(VARIANTS),
                   CONTEXT, sorted(NAME_TAGS), NAME_CONTEXT)
        return hashlib.sha256((model.data_version() + repr(weights)).encode()).hexdigest()[:12]

    # -- suspects ---------------------------------------------------------------------------------------

    def _candidates(self, folded: str, lo: int, hi: int) -> set[tuple]:
        """(start, end, position, replacement, kind, relation) for each plausible one-character correction
        starting in [lo, hi)."""
        folded = replace_surrogates(folded)
        out: set[tuple] = set()
        # Segmented a piece at a time, cut after a sentence end (no token or window crosses one), so that
        # the tokens of a whole chunk never sit in memory at once; only the pieces around [lo, hi) count.
        a = max(folded.rfind(end, 0, max(0, lo - 4)) for end in _SENTENCE_ENDS) + 1
        while a < min(len(folded), hi + 4):
            cuts = [folded.find(end, a + PIECE) for end in _SENTENCE_ENDS]
            b = min((c + 1 for c in cuts if c >= 0), default=len(folded))
            if _is_prose(folded, a, b):
                self.pieces_checked += 1
                self._piece_candidates(folded, a, b, lo, hi, out)
            a = b
        return out

    def _piece_candidates(self, folded: str, a: int, b: int, lo: int, hi: int, out: set[tuple]) -> None:
        import rjieba

        confusions = model.confusions()
        words, idioms = model.wildcard(), model.idioms()
        suspects = model.suspects()
        common = model.common_pairs()
        tokens = rjieba.cut(folded[a:b], hmm=False)
        starts = list(accumulate(map(len, tokens), initial=a))
        done: set[tuple[int, int]] = set()
        n = len(tokens)
        for k in [k for k, tok in enumerate(tokens) if tok in suspects]:
            tok, s = tokens[k], starts[k]
            if lo <= s < hi:
                for target, _ in suspects[tok]:
                    j = next(i for i in range(len(tok)) if tok[i] != target[i])
                    relation = "homo" if target[j] in confusions[0].get(tok[j], "") else "shape"
                    out.add((s, s + len(tok), s + j, target[j], "rare", relation))
        # A single character between two common pairs is read as intended: no window is built for it.
        odd = {k: not (folded[s - 1:s + 1] in common and folded[s:s + 2] in common)
               for k, s in ((k, starts[k]) for k, tok in enumerate(tokens) if len(tok) == 1 and _is_han(tok))
               if lo - 3 <= s < hi + 4}
        for k in [k for k, flag in odd.items() if flag and starts[k] < hi]:
            # windows of whole tokens, 2 to 4 characters, that contain this single-character token and
            # start at it or at one of the (at most three) tokens before it
            for i in range(k, max(-1, k - 3), -1):
                if starts[k + 1] - starts[i] > 4:
                    break
                for j in range(k + 1, min(n, i + 4) + 1):
                    width = starts[j] - starts[i]
                    if width > 4:
                        break
                    if width < 2 or j - i < 2 or not lo <= starts[i] < hi or (i, j) in done:
                        continue
                    done.add((i, j))
                    window = folded[starts[i]:starts[j]]
                    if not _HAN_ONLY(window):
                        continue
                    flags = [False] * width
                    for t in range(i, j):
                        if odd.get(t):
                            flags[starts[t] - starts[i]] = True
                    for p, c, kind, relation in _window_candidates(window, flags, words, idioms, confusions):
                        out.add((starts[i], starts[j], starts[i] + p, c, kind, relation))
        # A common word in place of another (根 for 跟, 门 for 们) breaks no word: only the language model
        # can tell. Each such single-character word is tried unless it sits between two common pairs.
        pairs = model.pairs()
        for k in [k for k, tok in enumerate(tokens) if tok in pairs and lo <= starts[k] < hi]:
            s, ch = starts[k], tokens[k]
            if folded[s - 1:s + 1] in common and folded[s:s + 2] in common:
                continue
            for c in pairs[ch]:
                out.add((s, s + 1, s, c, "pair", _relation(ch, c, confusions)))

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
        """(score, start, end, position, replacement, kind, relation) for the candidates starting in
        [lo, hi), best first, none overlapping a better one."""
        hi = len(folded) if hi is None else hi
        # Candidates just outside [lo, hi) can overlap and outrank one inside: they are scored too, so that
        # which candidate wins does not depend on where a chunk starts.
        lo, hi, inner = max(0, lo - OVERLAP_REACH), min(len(folded), hi + OVERLAP_REACH), (lo, hi)
        candidates = self._candidates(folded, lo, hi)
        if not candidates:
            return []
        lm, chars = model.word_lm(), model.char_counts()
        scored = []
        original: dict[tuple[int, int], float] = {}
        for s, e, p, c, kind, relation in candidates:
            if (folded[p], c) in VARIANTS:
                continue
            if kind == "word" and chars.count(folded[p]) < RARE_CHAR:
                continue
            a, b, bos, eos = _window(folded, s, e)
            if (a, b) not in original:  # shared by every replacement tried in this window
                original[a, b] = lm.score(folded[a:b], bos, eos)
            margin = lm.score(folded[a:p] + c + folded[p + 1:b], bos, eos) - original[a, b]
            scored.append((score(kind, relation, margin), s, e, p, c, kind, relation))
        scored.sort(reverse=True)
        kept: list[tuple] = []
        taken: set[int] = set()
        for item in scored:
            span = range(item[1], item[2])
            if taken.isdisjoint(span):
                kept.append(item)
                taken.update(span)
        return [item for item in kept if inner[0] <= item[1] < inner[1]]

    def find(self, text: str, folded: str, compact, lo: int, hi: int) -> list[tuple]:
        folded = replace_surrogates(folded)  # the name tagger cannot take them either
        found = []
        name_spans = None
        for value, s, e, p, c, kind, relation in self.scored(folded, lo, hi):
            confidence = 1 / (1 + math.exp(-value))
            if confidence < MIN_CONFIDENCE:
                break
            if name_spans is None:
                name_spans = self._name_spans(folded)
            if (any(ns < e and s < ne for ns, ne in name_spans) or self._in_place_name(folded, s, e)
                    or _in_tagged_name(folded, p)):
                continue
            suggestion = text[s:p] + c + text[p + 1:e]
            explanation = (f"疑似错别字，建议改为“{suggestion}”（“{text[p]}”与“{c}”{RELATION[relation]}；"
                           f"{REASON[kind]}依据，置信度{confidence:.2f}）")
            cs, ce = compact.compact_span(s, e)
            found.append((s, e, TYPO, PRIORITY, suggestion, f"spelling:{kind}", SOURCE, explanation, cs, ce,
                          round(confidence, 3)))
        return found
