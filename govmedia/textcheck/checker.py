"""The content checker: normalization, one automaton scan, rules, near-misses, whitelists, chunking.

Hot path per chunk: fold (C-speed split and translate of the rare characters that need it) → compact
(remove noise runs, recording only the runs) → one overlapping Aho-Corasick scan → per-hit work only.
Long texts are processed in chunks of ``chunk_size`` characters, each seen with ``CONTEXT_CHARS``
characters on both sides; a finding belongs to the chunk its start falls in, so nothing is lost or
reported twice at a border, and memory does not grow with the text.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .categories import (
    ADVERTISING,
    ADVERTISING_CONTEXT,
    EXPRESSION_ERROR,
    PERSONAL_OPINION,
    PROHIBITED,
    PROHIBITED_CONTEXT,
    PROHIBITED_MENTION,
    SEVERITY,
    TYPO,
    explain,
)
from .context import Context
from .lexicon import MAX_TERM_LENGTH, Entry, Lexicon, content_version, default_lexicons, load_lexicon
from .matcher import ALLOW_PHRASE, CANON, DOUBLE, NEAR_MISS_KINDS, TERM, TRIGGER, Matcher
from .nearmiss import candidates as nearmiss_candidates
from .nearmiss import describe
from .normalize import Compact, fold, has_astral, replace_surrogates
from .rules import COMPACT, RULES, RULES_VERSION, WINDOW
from .spelling import SOURCE as SPELLING
from .spelling import Speller

BUILTIN = "builtin"
MAX_NOISE_PER_GAP = 3  # 代 办 证 件 is one term, 赌 …(many symbols)… 博 is not
MAX_SPAN = (MAX_NOISE_PER_GAP + 1) * MAX_TERM_LENGTH
# More than any finding, allow phrase or quotation reach, so a chunk sees everything around its findings.
CONTEXT_CHARS = 4 * MAX_SPAN
PRIORITY_RULE = 3
_NEAR_MISS_KINDS = NEAR_MISS_KINDS


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to create
class Finding:
    category: str
    severity: str
    start: int  # offsets into the ORIGINAL text: text == original[start:end]
    end: int
    text: str
    suggestion: str | None
    rule: str
    source: str  # lexicon the rule came from ("builtin" for pattern rules)
    lexicon_version: str
    explanation: str
    line: int  # 1-based, of ``start``
    column: int  # 1-based, in characters
    confidence: float = 1.0  # list and rule findings are certain; the speller's are estimates

    def to_dict(self) -> dict:
        return {field: getattr(self, field) for field in self.__slots__}


def _alnum_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def _plausible(start: int, end: int, compact_length: int) -> bool:
    """Noise may pad a match a little, not hide words inside it."""
    width = end - start
    return width <= MAX_SPAN and width - compact_length <= MAX_NOISE_PER_GAP * (compact_length - 1)


class _Lines:
    """Incremental line/column bookkeeping over increasing offsets of a text seen piecewise."""

    def __init__(self) -> None:
        self.pos, self.line, self.line_start = 0, 1, 0

    def advance(self, buf: str, buf_start: int, pos: int) -> None:
        a, b = self.pos - buf_start, pos - buf_start
        count = buf.count("\n", a, b)
        if count:
            self.line += count
            self.line_start = buf_start + buf.rfind("\n", a, b) + 1
        self.pos = pos


def _coerce_lexicons(lexicons) -> list[Lexicon]:
    if lexicons is None:
        return []
    if isinstance(lexicons, Lexicon | str | Path):
        lexicons = [lexicons]
    return [lex if isinstance(lex, Lexicon) else load_lexicon(lex) for lex in lexicons]


class Checker:
    """A compiled checker: the shipped lexicons (unless ``defaults=False``), the given ones, built-in rules.

    ``lexicons`` may be Lexicon objects or paths of lexicon files. Building is the expensive part (about
    1 s for 50,000 terms); a Checker is immutable and can be shared and reused. ``versions`` maps each
    lexicon source to its content version, ``version`` identifies the whole configuration.
    """

    # 128k characters: on official prose as fast as 1M (measured 64k-1M, benchmarks/textcheck.py prose), and
    # the per-chunk structures (tokens, hits, candidates) of hostile input stay a tenth as large.
    CHUNK = 1 << 17

    def __init__(self, lexicons: Lexicon | str | Path | Iterable[Lexicon | str | Path] | None = None, *,
                 defaults: bool = True, pinyin: bool = False, spelling: bool = True, names: Iterable[str] = (),
                 chunk_size: int = CHUNK):
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        self.lexicons = [*(default_lexicons() if defaults else ()), *_coerce_lexicons(lexicons)]
        entries = [e for lex in self.lexicons for e in lex.entries]
        by_source: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            by_source[entry.source].append(entry)
        self.versions = {source: content_version(group) for source, group in by_source.items()}
        self.versions[BUILTIN] = RULES_VERSION
        self._speller = Speller(names) if spelling else None
        if self._speller is not None:  # the contract needs only find(); a version, when there is one
            self.versions[SPELLING] = getattr(self._speller, "version", "")
        digest = hashlib.sha256(repr(sorted(self.versions.items())).encode()).hexdigest()
        self.version = digest[:12] + ("-pinyin" if pinyin else "")  # of everything that decides the findings
        self.chunk_size = chunk_size
        self._matcher = Matcher(entries, RULES, pinyin=pinyin)

    # -- public API -----------------------------------------------------------------------------------

    def check(self, text: str) -> list[Finding]:
        """All findings in ``text``, sorted by position."""
        step = self.chunk_size
        return list(self._run(text[i : i + step] for i in range(0, len(text), step)))

    def iter_check(self, pieces: Iterable[str]) -> Iterator[Finding]:
        """Findings for the concatenation of ``pieces``; memory stays bounded by the chunk size."""
        return self._run(pieces)

    def check_stream(self, stream: TextIO | Iterable[str]) -> Iterator[Finding]:
        """Findings for a text file object read in chunks (or any iterable of text pieces)."""
        if hasattr(stream, "read"):
            return self._run(iter(lambda: stream.read(self.chunk_size), ""))
        return self._run(stream)

    # -- chunking -------------------------------------------------------------------------------------

    def _run(self, pieces: Iterable[str]) -> Iterator[Finding]:
        chunk, ctx = self.chunk_size, CONTEXT_CHARS
        buf, buf_start, lo = "", 0, 0
        pending: list[str] = []
        pending_len = 0
        lines = _Lines()
        for piece in pieces:
            pending.append(piece)
            pending_len += len(piece)
            if buf_start + len(buf) + pending_len - lo < chunk + ctx:
                continue
            buf += "".join(pending)
            pending, pending_len = [], 0
            while buf_start + len(buf) - lo >= chunk + ctx:
                yield from self._emit(buf, buf_start, lo, lo + chunk, lines)
                lo += chunk
                lines.advance(buf, buf_start, lo)
                cut = lo - ctx - buf_start
                if cut > 0:
                    buf, buf_start = buf[cut:], buf_start + cut
        buf += "".join(pending)
        end = buf_start + len(buf)
        while lo < end:
            hi = min(end, lo + chunk)
            yield from self._emit(buf, buf_start, lo, hi, lines)
            lo = hi
            lines.advance(buf, buf_start, lo)

    def _emit(self, buf: str, buf_start: int, lo: int, hi: int, lines: _Lines) -> Iterator[Finding]:
        ws = max(buf_start, lo - CONTEXT_CHARS)
        window = buf[ws - buf_start : hi + CONTEXT_CHARS - buf_start]
        versions = self.versions
        found = self._window(window, lo - ws, hi - ws)
        for start, end, category, _, suggestion, rule, source, explanation, *rest in found:
            lines.advance(buf, buf_start, ws + start)
            yield Finding(category, SEVERITY[category], ws + start, ws + end, window[start:end], suggestion,
                          rule, source, versions.get(source, ""), explanation, lines.line,
                          ws + start - lines.line_start + 1, rest[2] if len(rest) > 2 else 1.0)

    # -- one window -----------------------------------------------------------------------------------

    def _window(self, text: str, lo: int, hi: int) -> list[tuple]:
        """Findings as tuples (start, end, category, priority, suggestion, rule, source, explanation,
        compact start, compact end), with offsets into ``text``, for those starting in [lo, hi)."""
        matcher = self._matcher
        astral = has_astral(text)
        folded = fold(text, astral)
        compact = Compact(folded, astral)
        try:
            hits = matcher.scan(compact.text)
        except UnicodeEncodeError:
            # Lone surrogates (from broken JSON or UTF-16) cannot be encoded for the automaton; they are
            # never part of a term, so a same-length placeholder keeps every offset.
            compact.text = replace_surrogates(compact.text)
            hits = matcher.scan(compact.text)
        ctext = compact.text
        actions = matcher.actions
        terms, allows, contexts, exacts, halves, doubles = [], [], [], [], [], []
        triggers: dict[int, list[int]] = defaultdict(list)
        for pid, s, e in hits:
            for action in actions[pid]:
                kind = action[0]
                if kind == TERM:
                    terms.append((action[1], s, e))
                elif kind in _NEAR_MISS_KINDS:
                    halves.append((kind, action[1], s, e))
                elif kind == TRIGGER:
                    triggers[action[1]].append(s)
                elif kind == ALLOW_PHRASE:
                    allows.append((s, e))
                elif kind == CANON:
                    exacts.append((s, e))
                elif kind == DOUBLE:
                    doubles.append(s)
                else:
                    contexts.append((action[1], s, e))
        if doubles:
            for pid, s, e in matcher.expand_doubles(ctext, doubles):
                for action in actions[pid]:
                    if action[0] == TERM and action[1].evasive:
                        terms.append((action[1], s, e))
                    elif action[0] == ALLOW_PHRASE:
                        allows.append((s, e))

        span = compact.span
        found: list[tuple] = []
        for target, s, e in terms:
            os, oe = span(s, e)
            if not _plausible(os, oe, e - s):
                continue
            if target.ascii_start and _alnum_at(folded, os - 1) or target.ascii_end and _alnum_at(folded, oe):
                continue  # "sex" in "Essex", "qq" in a longer Latin word
            found.append((os, oe, target.category, target.priority, target.suggestion, target.rule,
                          target.source, explain(target.category, target.suggestion), s, e))
        for index, positions in triggers.items():
            found.extend(self._apply_rule(index, positions, compact, folded))
        exacts.sort()
        if halves:
            found.extend(self._near_misses(ctext, halves, exacts, compact))
        if self._speller is not None:
            spelled = self._speller.find(text, folded, compact, lo, hi)
            if spelled:  # a listed typo or a near-miss of a canonical phrase already names the right wording
                listed = {i for item in found if item[2] in (TYPO, EXPRESSION_ERROR) for i in range(item[0], item[1])}
                found.extend(item for item in spelled if listed.isdisjoint(range(item[0], item[1])))

        # Whitelists are applied in compact offsets: the mapping is monotonic, so containment is the same,
        # and the (many) allow and canonical occurrences never need mapping back.
        found = [item for item in found if lo <= item[0] < hi]
        if not found:
            return []
        allows.sort()
        context_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for rule, s, e in contexts:
            context_spans[rule].append((s, e))
        kept: dict[tuple[str, int, int], tuple] = {}
        context = None
        for item in found:
            start, end, category, priority, _, rule, _, _, cs, ce, *_ = item
            if _inside(allows, cs, ce):
                if category != PROHIBITED or not _merely_extends(allows, cs, ce):
                    continue
                context = context or Context(ctext, allows)
                if not context.lure(cs, ce):
                    continue  # 推动存量资金盘活: the allow phrase is the reading; 资金盘活动…稳赚不赔 is not
            if category in _IN_CONTEXT:
                context = context or Context(ctext, allows)
                item = _in_context(item, text, context)
                if item is None:
                    continue
                category = item[2]
            if rule in context_spans and _inside(sorted(context_spans[rule]), cs, ce):
                continue
            if category in (TYPO, EXPRESSION_ERROR) and _inside(exacts, cs, ce):
                continue  # the exact canonical phrase is never flagged, not even through a listed term
            if category == PERSONAL_OPINION and _quoted(text, start, end):
                continue  # a citizen quoted in a report speaks for herself, not for the account
            key = (category, start, end)
            if key not in kept or priority < kept[key][3]:
                kept[key] = item
        return _drop_contained(kept.values())

    def _apply_rule(self, index: int, positions: list[int], compact: Compact, folded: str) -> list[tuple]:
        rule = self._matcher.rules[index]
        width = WINDOW[rule.space]
        if rule.space == COMPACT:
            string, to_orig = compact.text, compact.span
        else:
            string, to_orig = folded, None
            positions = [compact.orig(p) for p in positions]
        spans = set()
        word = "w" if "w" in rule.pattern.groupindex else 0  # a rule may name the part that is the finding
        a = b = -1
        for p in sorted(positions) + [None]:
            if p is not None and p - width <= b:
                b = min(len(string), p + width)
                continue
            if b > a:
                spans.update(m.span(word) for m in rule.pattern.finditer(string, a, b) if m.end() > m.start())
            if p is not None:
                a, b = max(0, p - width), min(len(string), p + width)
        out = []
        explanation = explain(rule.category, None, rule.label)
        for s, e in spans:
            if to_orig is None:
                (os, oe), (s, e) = (s, e), compact.compact_span(s, e)
            else:
                os, oe = to_orig(s, e)
                if not _plausible(os, oe, e - s):
                    continue
            out.append((os, oe, rule.category, PRIORITY_RULE, None, rule.id, BUILTIN, explanation, s, e))
        return out

    def _near_misses(self, ctext: str, halves: list, exacts: list, compact: Compact) -> list[tuple]:
        canonicals = self._matcher.canonicals
        starts = [s for s, _ in exacts]
        out = []
        for index, s, e, kind, pos in nearmiss_candidates(ctext, halves, canonicals,
                                                          self._matcher.canonical_prefixes):
            # An exact canonical phrase overlapping the candidate means a different, correct formulation,
            # unless it lies strictly inside: then it is the intact part of this longer phrase (习近新时代…
            # contains the exact 新时代中国特色社会主义思想). Exact phrases are at most MAX_TERM_LENGTH long,
            # so only those starting after s - that can overlap.
            k = bisect_left(starts, e)
            j = bisect_left(starts, s - MAX_TERM_LENGTH, 0, k)
            if any(exacts[i][1] > s and not (s <= exacts[i][0] and exacts[i][1] <= e
                                             and exacts[i][1] - exacts[i][0] < e - s) for i in range(j, k)):
                continue
            os, oe = compact.span(s, e)
            if not _plausible(os, oe, e - s):
                continue
            canon = canonicals[index]
            detail = describe(kind, pos, ctext[s:e], canon.phrase)
            out.append((os, oe, EXPRESSION_ERROR, 2, canon.display, f"canonical:{canon.display}",
                        canon.source, explain(EXPRESSION_ERROR, canon.display, detail), s, e))
        return out


_IN_CONTEXT = frozenset({PROHIBITED, ADVERTISING, ADVERTISING_CONTEXT, PROHIBITED_CONTEXT})
_QUOTE_MARKS = "“”‘’「」『』\"'"


def _in_context(item: tuple, text: str, context: Context) -> tuple | None:
    """A prohibited term in an enforcement or warning sentence becomes a note; advertising words quoted by a
    police report or a scam warning are no advertising; an advertising-law word becomes advertising next to
    a commercial cue and is dropped otherwise; a weapon word is judged like a prohibited term in an
    enforcement sentence, prohibited next to a sale or offer and dropped otherwise (``context``)."""
    start, end, category, _, _, rule, _, _, cs, ce = item[:10]
    if category == PROHIBITED_CONTEXT:
        verdict, cue = context.judge_offered(cs, ce)
        if verdict is None:
            return None
        word = rule.partition(":")[2].partition(":")[2] or context.ctext[cs:ce]
        detail = f"“{word}”与“{cue}”同句" if verdict == PROHIBITED else cue
        return (*item[:2], verdict, *item[3:7], explain(verdict, None, detail), *item[8:])
    if category == PROHIBITED:
        written = text[start:end]
        quotes = sum(written.count(q) for q in _QUOTE_MARKS) if end - start != ce - cs else 0
        if end - start - quotes != ce - cs or rule.startswith("pinyin:"):
            return item  # disguised (赌-博) or spelled in pinyin: nobody writes a notice like that
        verdict, cue = context.judge_prohibited(cs, ce)
        if verdict == PROHIBITED:
            return item
        return (*item[:2], PROHIBITED_MENTION, *item[3:7], explain(PROHIBITED_MENTION, None, cue), *item[8:])
    if context.quoted_by_a_report(cs, ce):
        return None
    if category == ADVERTISING:
        return item
    cue = context.commercial_cue(cs, ce)
    if cue is None:
        return None
    word = rule.partition(":")[2].partition(":")[2] or context.ctext[cs:ce]
    detail = f"绝对化用语“{word}”与“{cue}”同句"
    return (*item[:2], ADVERTISING, *item[3:7], explain(ADVERTISING, None, detail), *item[8:])


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies within one of the sorted ``spans``."""
    k = bisect_right(spans, (start, float("inf")))
    for j in range(k - 1, -1, -1):
        s, e = spans[j]
        if e >= end:
            return True
        if s < start - MAX_SPAN:
            return False
    return False


_EXTENSION = 2  # characters an allow phrase may add to a term and still be a mere extension of it


def _merely_extends(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether every sorted allow span holding [start, end) only lengthens the term at one end by at most
    ``_EXTENSION`` characters (资金盘活 for 资金盘, 足球外围赛 for 足球外围): such a phrase overlaps by accident of
    spelling, so it is trusted only in a sentence without a lure (资金盘活动开启，稳赚不赔)."""
    k = bisect_right(spans, (start, float("inf")))
    found = False
    for j in range(k - 1, -1, -1):
        s, e = spans[j]
        if s < start - MAX_SPAN:
            break
        if e < end:
            continue
        if not ((s == start or e == end) and e - s - (end - start) <= _EXTENSION):
            return False
        found = True
    return found


QUOTES = (("“", "”"), ("「", "」"), ("『", "』"))
QUOTE_REACH = 300


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether [start, end) lies between an opening and a closing quotation mark of one paragraph."""
    for opening, closing in QUOTES:
        lo = max(0, start - QUOTE_REACH)
        opened = text.rfind(opening, lo, start)
        if opened < 0 or text.rfind(closing, opened, start) >= 0 or "\n" in text[opened:start]:
            continue
        closed = text.find(closing, end, end + QUOTE_REACH)
        if closed >= 0 and "\n" not in text[end:closed]:
            return True
    return False


def _drop_contained(items: Iterable[tuple]) -> list[tuple]:
    """Within one category keep the longest of nested findings (大麻 inside 大麻烟)."""
    out = []
    reach: dict[str, int] = {}
    for item in sorted(items, key=lambda t: (t[0], -t[1], t[2])):
        start, end, category = item[:3]
        if reach.get(category, -1) >= end:
            continue
        reach[category] = end
        out.append(item)
    return out


_default_checker: Checker | None = None


def check_text(text: str, lexicons: Lexicon | str | Path | Iterable[Lexicon | str | Path] | None = None, *,
               defaults: bool = True) -> list[Finding]:
    """Check ``text`` with the shipped lexicons plus ``lexicons``; the plain default checker is cached."""
    global _default_checker
    if lexicons is None and defaults:
        if _default_checker is None:
            _default_checker = Checker()
        return _default_checker.check(text)
    return Checker(lexicons, defaults=defaults).check(text)
