"""A version compared with the one before, for the page: selectors.version_diff's line operations, with a
changed line shown character by character (inserted and deleted stretches), and long unchanged stretches
folded. Rows hold plain text; the template escapes it and adds the <ins>/<del> marks."""

import difflib
from dataclasses import dataclass

# Lines longer than this are shown deleted and inserted whole (difflib is quadratic at worst).
MAX_CHAR_DIFF = 2000
# Unchanged lines kept on each side of a change; a longer unchanged stretch is folded.
CONTEXT = 2


@dataclass(frozen=True)
class Row:
    kind: str  # equal, insert, delete, change, fold
    parts: tuple[tuple[str, str], ...] = ()  # (mark, text): mark is "", "ins" or "del"
    folded: int = 0


def _changed_line(old: str, new: str) -> Row:
    if len(old) > MAX_CHAR_DIFF or len(new) > MAX_CHAR_DIFF:
        return Row("change", (("del", old), ("ins", new)))
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("", old[i1:i2]))
        if tag in ("delete", "replace"):
            parts.append(("del", old[i1:i2]))
        if tag in ("insert", "replace"):
            parts.append(("ins", new[j1:j2]))
    return Row("change", tuple(parts))


def _equal_rows(lines: list[str], *, first: bool, last: bool) -> list[Row]:
    rows = [Row("equal", (("", line),)) for line in lines]
    head = 0 if first else CONTEXT
    tail = 0 if last else CONTEXT
    if len(rows) <= head + tail + 1:
        return rows
    return [*rows[:head], Row("fold", folded=len(rows) - head - tail), *rows[len(rows) - tail:]]


def diff_rows(ops) -> list[Row]:
    rows: list[Row] = []
    for index, op in enumerate(ops):
        if op.op == "equal":
            rows += _equal_rows(op.new, first=index == 0, last=index == len(ops) - 1)
            continue
        pairs = min(len(op.old), len(op.new)) if op.op == "replace" else 0
        rows += [_changed_line(old, new) for old, new in zip(op.old[:pairs], op.new[:pairs], strict=True)]
        rows += [Row("delete", (("del", line),)) for line in op.old[pairs:]]
        rows += [Row("insert", (("ins", line),)) for line in op.new[pairs:]]
    return rows
