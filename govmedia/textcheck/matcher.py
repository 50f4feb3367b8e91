"""Compiles lexicons and rule triggers into ONE Aho-Corasick automaton and scans compact text with it.

Every pattern carries a tuple of *actions* saying what a hit means (a lexicon term, an allow phrase, a
canonical phrase or one half of it, a rule trigger, a doubled character …), so a single overlapping scan
of the compact text feeds every mechanism of the checker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from .categories import ALLOW, CANONICAL, EVASIVE, PROHIBITED, TYPO
from .lexicon import Entry
from .normalize import normalize_term
from .rules import Rule

# Action kinds (first element of an action tuple).
TERM, ALLOW_PHRASE, CANON, HALF_LEFT, HALF_RIGHT, SWAPPED, TRIGGER, DOUBLE, CONTEXT, PART = range(10)
NEAR_MISS_KINDS = frozenset({HALF_LEFT, HALF_RIGHT, SWAPPED, PART})
# Canonical phrases this long may carry two replaced characters (社会主义思想 → 社会注意思想).
TWO_SUBSTITUTIONS_MIN = 8

# Pairs of characters that are classic confusions in fixed expressions. Swapping one of them inside a
# 4+ character idiom from the typo list almost never yields another correct expression, which is what
# makes this "confusion-set" detection reliable; 的/地/得-style sets are deliberately absent.
CONFUSABLE_PAIRS = (
    "厉励", "即既", "竟竞", "辩辨", "辨辫", "候侯", "籍藉", "账帐", "象像", "再在", "做作", "决绝", "副付", "迭叠",
    "暇瑕", "练炼", "梁粱", "默墨", "渡度", "型形", "坐座", "需须", "晰析", "震振", "烦繁", "奕弈", "蛰蜇", "篡纂",
)


class Target(NamedTuple):
    """What a term hit reports; shared by every pattern that stands for the same lexicon entry."""

    category: str
    suggestion: str | None
    rule: str
    source: str
    length: int  # length of the normalized pattern
    ascii_start: bool  # starts with a Latin letter/digit: needs a word boundary in the text
    ascii_end: bool
    evasive: bool
    priority: int  # lower wins when two findings have the same category and span


@dataclass(frozen=True, slots=True)
class Canonical:
    phrase: str  # normalized
    display: str  # as written in the lexicon, used as suggestion
    source: str
    half: int  # length of the left half


_DOUBLED = re.compile(r"(.)\1")


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _target(entry: Entry, pattern: str, rule: str, priority: int, suggestion: str | None = None) -> Target:
    if suggestion is None:
        suggestion = entry.suggestion
    return Target(entry.category, suggestion, rule, entry.source, len(pattern), _is_ascii_alnum(pattern[0]),
                  _is_ascii_alnum(pattern[-1]), entry.category in EVASIVE, priority)


def _thirds(n: int) -> tuple[tuple[int, int], ...]:
    """Three parts of an n-character phrase, the longer ones at the ends: a short middle part starts inside
    a word (全面建|成小|康社会) and so hits far less ordinary text than a short word at the start (全面)."""
    base, extra = divmod(n, 3)
    first, last = base + (extra > 0), base + (extra > 1)
    return (0, first), (first, n - last), (n - last, n)


class Matcher:
    def __init__(self, entries: Iterable[Entry], rules: Sequence[Rule] = (), *, pinyin: bool = False):
        self._actions: dict[str, list[tuple]] = {}
        self.canonicals: list[Canonical] = []
        # Every beginning of a canonical phrase: a near-miss that is itself one is another correct formulation.
        self.canonical_prefixes: set[str] = set()
        self.rules = tuple(rules)
        self.trigrams: set[str] = set()
        self.max_evasive_length = 0
        entries = list(entries)
        seen: set[tuple[str, str, str | None]] = set()
        for entry in entries:
            key = (entry.category, entry.normalized, entry.suggestion)
            if key in seen:  # the same entry in two lexicons: report once
                continue
            seen.add(key)
            self._add_entry(entry)
        self._add_confusions(entries)
        if pinyin:
            self._add_pinyin(entries)
        for index, rule in enumerate(self.rules):
            for trigger in rule.triggers:
                self._add(normalize_term(trigger), (TRIGGER, index))
        self.patterns = list(self._actions)
        self.actions = [tuple(self._actions[p]) for p in self.patterns]
        del self._actions
        self.max_length = max((len(p) for p in self.patterns), default=1)
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns) if self.patterns else None

    def _add(self, pattern: str, action: tuple) -> None:
        actions = self._actions.setdefault(pattern, [])
        if action not in actions:
            actions.append(action)

    def _add_entry(self, entry: Entry) -> None:
        norm = entry.normalized
        if entry.category == ALLOW:
            self._add(norm, (ALLOW_PHRASE,))
            return
        if entry.category == CANONICAL:
            self._add_canonical(entry)
            return
        rule = f"lex:{entry.category}:{entry.term}"
        target = _target(entry, norm, rule, 0)
        self._add(norm, (TERM, target))
        if entry.suggestion:
            suggestion = entry.normalized_suggestion
            if norm in suggestion:
                # The wrong form is part of the right one (香港回归 → 香港回归祖国): the right form in the
                # text must not be reported as containing the wrong one.
                self._add(suggestion, (CONTEXT, rule))
        if entry.category in EVASIVE and len(norm) >= 3 and not _DOUBLED.search(norm):
            self.max_evasive_length = max(self.max_evasive_length, len(norm))
            for k in range(1, len(norm) - 1):
                if not norm[k].isascii():
                    self.trigrams.add(norm[k - 1 : k + 2])
                    self._add(norm[k] * 2, (DOUBLE,))

    def _add_canonical(self, entry: Entry) -> None:
        phrase = entry.normalized
        index = len(self.canonicals)
        half = len(phrase) // 2
        self.canonicals.append(Canonical(phrase, entry.term, entry.source, half))
        self._add(phrase, (CANON, index))
        self.canonical_prefixes.update(phrase[:k] for k in range(4, len(phrase) + 1))
        # A near-miss of one phrase that is a part of another is that other, correct formulation
        # (社会主义现代化国家 in 全面建设社会主义现代化国家 is no 社会主义现代化强国 missing 强).
        self.canonical_prefixes.update(phrase[i:k] for i in range(1, len(phrase) - 4)
                                       for k in range(i + 5, len(phrase) + 1))
        if len(phrase) < 4:  # too short: one edit away from too many ordinary words
            return
        # Pigeonhole: with a single edit one of the two halves is intact, so the halves find every candidate;
        # only a swap across the middle breaks both, so that variant is added whole.
        self._add(phrase[:half], (HALF_LEFT, index))
        self._add(phrase[half:], (HALF_RIGHT, index))
        swapped = phrase[: half - 1] + phrase[half] + phrase[half - 1] + phrase[half + 1 :]
        if swapped != phrase:
            self._add(swapped, (SWAPPED, index))
        if len(phrase) >= TWO_SUBSTITUTIONS_MIN:
            # Pigeonhole again: two replaced characters spoil at most two of three parts. A part's hit fixes
            # where the phrase would start, so the check stays one comparison per hit.
            for a, b in _thirds(len(phrase)):
                self._add(phrase[a:b], (PART, (index, a)))

    def _add_confusions(self, entries: list[Entry]) -> None:
        confusable: dict[str, set[str]] = {}
        for a, b in CONFUSABLE_PAIRS:
            confusable.setdefault(a, set()).add(b)
            confusable.setdefault(b, set()).add(a)
        typos = [e for e in entries if e.category == TYPO and e.suggestion]
        # A one-character typo listed twice or more (按装→安装, 安份→本份 …) shows a systematic confusion
        # (right → wrong) worth generalizing; a single occurrence may be an accident of one word.
        learned: dict[tuple[str, str], int] = {}
        for entry in typos:
            right = entry.normalized_suggestion
            if len(right) == len(entry.normalized):
                diff = [(r, w) for r, w in zip(right, entry.normalized, strict=True) if r != w]
                if len(diff) == 1 and not diff[0][0].isascii():
                    learned[diff[0]] = learned.get(diff[0], 0) + 1
        for (right_char, wrong_char), count in learned.items():
            if count >= 2:
                confusable.setdefault(right_char, set()).add(wrong_char)
        known = {e.normalized for e in entries} | {e.normalized_suggestion for e in entries if e.suggestion}
        for entry in typos:
            right = entry.normalized_suggestion
            if len(right) < 4:
                continue
            for k, ch in enumerate(right):
                for other in confusable.get(ch, ()):
                    variant = right[:k] + other + right[k + 1 :]
                    if variant not in known:
                        target = _target(entry, variant, f"confusion:{variant}", 1, entry.suggestion)
                        self._add(variant, (TERM, target))

    def _add_pinyin(self, entries: list[Entry]) -> None:
        from pypinyin import Style, lazy_pinyin  # optional feature: imported only when asked for

        for entry in entries:
            term = entry.normalized
            if entry.category != PROHIBITED or not all("\u4e00" <= ch <= "\u9fff" for ch in term):
                continue
            forms = ["".join(lazy_pinyin(term))]
            if len(term) >= 3:
                forms.append("".join(lazy_pinyin(term, style=Style.FIRST_LETTER)))
            for form in forms:
                # Latin on both ends: "dubo" must stand alone, never inside an English word.
                target = Target(entry.category, entry.suggestion, f"pinyin:{entry.term}", entry.source,
                                len(form), True, True, True, 2)
                self._add(form, (TERM, target))

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """All (pattern id, start, end) hits in compact text, overlapping ones included."""
        if self.automaton is None or not text:
            return []
        return self.automaton.find_matches_as_indexes(text, overlapping=True)

    def expand_doubles(self, text: str, positions: list[int]) -> list[tuple[int, int, int]]:
        """Hits that only appear once repeated characters are collapsed (代代办办证证件 → 代办证件).

        ``positions`` are starts of doubled characters found by the scan. A cheap trigram test (the
        characters around the run must occur that way inside an evasive term) keeps ordinary
        reduplications (常常, 层层落实) from costing anything. Returned spans are in ``text``; the outer
        runs are trimmed so a span always starts and ends on a term character.
        """
        regions: list[list[int]] = []
        margin = 4 * self.max_evasive_length
        n = len(text)
        for p in positions:
            x = text[p]
            if p == 0 or text[p - 1] == x:
                continue
            q = p + 2
            while q < n and text[q] == x:
                q += 1
            if q >= n or text[p - 1] + x + text[q] not in self.trigrams:
                continue
            a, b = max(0, p - margin), min(n, q + margin)
            if regions and a <= regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], b)
            else:
                regions.append([a, b])
        hits = []
        for a, b in regions:
            chars: list[str] = []
            first: list[int] = []
            last: list[int] = []
            for i in range(a, b):
                ch = text[i]
                if chars and ch == chars[-1] and not ch.isascii():
                    last[-1] = i
                else:
                    chars.append(ch)
                    first.append(i)
                    last.append(i)
            for pid, ds, de in self.automaton.find_matches_as_indexes("".join(chars), overlapping=True):
                if any(first[k] != last[k] for k in range(ds + 1, de - 1)):
                    hits.append((pid, last[ds], first[de - 1] + 1))
        return hits
