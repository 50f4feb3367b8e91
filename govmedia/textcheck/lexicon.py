"""Lexicons: the shipped defaults and user files in one plain, documented format.

Format (UTF-8, one entry per line)::

    # source: 某某规范用语表（2024 版）      ← optional note naming where the list comes from
    category<TAB>term[<TAB>suggestion]      ← everything after '#' is a comment

``category`` is one of the finding categories (expression_error, typo, prohibited, advertising,
secret_marking, personal_opinion, sensitive_topic) or

* ``canonical`` — a canonical phrase; its near-misses (one character replaced, missing, extra, or two
  swapped) are reported as expression_error with the phrase as suggestion, the exact phrase never;
* ``allow`` — a whitelisted term or context phrase: a finding lying entirely inside an occurrence of it
  is suppressed (``allow<TAB>打击赌博`` in a police post, a place name containing a prohibited term).

Each lexicon has a ``version``: a short hash of its normalized entries, stored with findings so one can
tell which lexicon content produced them (comments and formatting do not change it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .categories import ALLOW, CANONICAL, EXPRESSION_ERROR, LEXICON_CATEGORIES, TYPO
from .normalize import normalize_term

# Bounded so that a match never spans more than the overlap between two chunks of a long text.
MAX_TERM_LENGTH = 64

_SOURCE_NOTE = re.compile(r"#\s*source\s*[:：]\s*(.+)", re.IGNORECASE)


class LexiconError(ValueError):
    """A lexicon file that cannot be used; names the file, the line (0: the whole file) and why."""

    def __init__(self, file: str, line: int, reason: str):
        self.file, self.line, self.reason = str(file), line, reason
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class Entry:
    category: str
    term: str
    suggestion: str | None
    source: str  # the lexicon's name: a file path or "default:<file>"
    line: int
    normalized: str = field(compare=False, repr=False, default="")
    normalized_suggestion: str = field(compare=False, repr=False, default="")


class Lexicon:
    """An immutable list of entries from one source (or several, after ``merge``)."""

    def __init__(self, entries: Iterable[Entry], name: str = "", note: str = ""):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.name = name
        self.note = note

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, {len(self.entries)} entries, version={self.version})"

    @cached_property
    def version(self) -> str:
        return content_version(self.entries)

    @classmethod
    def from_entries(cls, rows: Iterable[tuple[str, str] | tuple[str, str, str | None]], name: str = "inline"
                     ) -> Lexicon:
        """Build from (category, term[, suggestion]) tuples, validated like file lines."""
        entries = []
        for number, row in enumerate(rows, 1):
            category, term, suggestion = (*row, None)[:3]
            entries.append(_make_entry(name, number, category, term, suggestion))
        return cls(entries, name)


def content_version(entries: Iterable[Entry]) -> str:
    lines = sorted({f"{e.category}\t{e.normalized}\t{e.normalized_suggestion}" for e in entries})
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]


def merge(lexicons: Iterable[Lexicon], name: str = "merged") -> Lexicon:
    lexicons = list(lexicons)
    notes = "; ".join(lex.note for lex in lexicons if lex.note)
    return Lexicon((e for lex in lexicons for e in lex.entries), name, notes)


def _make_entry(name: str, number: int, category: str, term: str, suggestion: str | None) -> Entry:
    category = (category or "").strip()
    if category not in LEXICON_CATEGORIES:
        raise LexiconError(name, number, f"未知类别“{category}”（unknown category; expected one of "
                                         f"{', '.join(LEXICON_CATEGORIES)}）")
    term = (term or "").strip()
    if not term:
        raise LexiconError(name, number, "词条为空（empty term）")
    normalized = normalize_term(term)
    if not normalized:
        raise LexiconError(name, number, "词条只含空白或符号（term has only spaces or symbols）")
    if len(normalized) > MAX_TERM_LENGTH:
        raise LexiconError(name, number, f"词条超过 {MAX_TERM_LENGTH} 个字（term too long）")
    normalized_suggestion = ""
    if suggestion is not None:
        suggestion = suggestion.strip()
        normalized_suggestion = normalize_term(suggestion)
        if not normalized_suggestion:
            raise LexiconError(name, number, "建议列只含空白或符号（suggestion has only spaces or symbols）")
        if category in (ALLOW, CANONICAL):
            raise LexiconError(name, number, f"{category} 类别不能带建议列（no suggestion allowed for {category}）")
        if category in (TYPO, EXPRESSION_ERROR) and normalized_suggestion == normalized:
            raise LexiconError(name, number, "错误形式与建议形式归一化后相同，会把正确写法误报"
                                             "（term and suggestion are equal after normalization）")
    return Entry(category, term, suggestion, name, number, normalized, normalized_suggestion)


def parse_lexicon(text: str, name: str) -> Lexicon:
    """Parse lexicon text; ``name`` is used in errors and recorded as the entries' source."""
    entries = []
    note = ""
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        line, _, comment = raw.partition("#")
        if not line.strip():
            found = _SOURCE_NOTE.match(raw.strip())
            if found and not note:
                note = found.group(1).strip()
            continue
        fields = [f.strip(" \u3000\r") for f in line.split("\t")]
        while len(fields) > 2 and not fields[-1]:  # empty trailing columns, as spreadsheets export them
            fields.pop()
        if len(fields) < 2:
            raise LexiconError(name, number, "缺少制表符分隔的词条列（expected category<TAB>term[<TAB>suggestion]）")
        if len(fields) > 3:
            raise LexiconError(name, number, f"列数过多：{len(fields)} 列，最多 3 列（too many columns）")
        suggestion = fields[2] if len(fields) == 3 else None
        entries.append(_make_entry(name, number, fields[0], fields[1], suggestion))
    return Lexicon(entries, name, note)


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LexiconError(label, line, "不是有效的 UTF-8 编码（invalid UTF-8）") from exc


def load_lexicon(path: str | Path, name: str | None = None) -> Lexicon:
    """Load a lexicon file; ``name`` (default: the path as given) names it in errors and findings."""
    label = name or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LexiconError(label, 0, f"无法读取词库文件（cannot read file: {exc.strerror or exc}）") from exc
    return parse_lexicon(_decode(data, label), label)


def load_directory(directory: Traversable | str | Path, prefix: str = "") -> tuple[Lexicon, ...]:
    """Every ``*.tsv`` file of ``directory``, one lexicon per file in name order, named prefix + file name."""
    directory = Path(directory) if isinstance(directory, str) else directory
    if not directory.is_dir():
        return ()
    lexicons = []
    for item in sorted(directory.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".tsv") and item.is_file():
            label = prefix + item.name
            lexicons.append(parse_lexicon(_decode(item.read_bytes(), label), label))
    return tuple(lexicons)


@cache
def default_lexicons() -> tuple[Lexicon, ...]:
    """The lexicons shipped in the package's ``data/*.tsv``, named ``default:<file>``."""
    return load_directory(resources.files(__package__) / "data", "default:")


def default_lexicon() -> Lexicon:
    """The shipped lexicons merged into one (entries keep their file as source)."""
    return merge(default_lexicons(), "default")
