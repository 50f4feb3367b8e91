"""Typos that are on no list: segmentation, plausible confusions and a character language model.

Contract with ``checker.Checker``: ``Speller(names).find(text, folded, compact, lo, hi)`` returns finding
tuples in the checker's window format (start, end, category, priority, suggestion, rule, source,
explanation, compact start, compact end, confidence), offsets into ``text``, for findings starting in
[lo, hi). ``names`` are proper names (units, people, places) never reported.
"""

from __future__ import annotations

from collections.abc import Iterable


class Speller:
    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = frozenset(names)

    def find(self, text: str, folded: str, compact, lo: int, hi: int) -> list[tuple]:
        return []
