"""The speller's data, loaded on first use: confusion sets, the wildcard word index and a character LM.

The language model is character uni-, bi- and trigram counts from People's Daily (January 1998), stored
as sorted arrays of exact keys (up to three code points of 21 bits packed into one signed 64-bit integer)
and 32-bit counts, read with ``array.fromfile`` and searched with ``bisect``: no hashing, no collisions,
and start-up costs a file read instead of building a dict of a million entries.
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from bisect import bisect_left
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "spelling"
HAN_RE = re.compile(r"[\u3400-\u9fff]+")
LM_FILES = [(f"lm{n}.keys", f"lm{n}.counts") for n in (1, 2, 3)]
BACKOFF = math.log(0.4)
COMMON_PAIR = 1


def ngram_key(gram: str) -> int:
    key = 0
    for ch in gram:
        key = (key << 21) | ord(ch)
    return key


def _read_array(path: Path, typecode: str) -> array:
    data = array(typecode)
    with open(path, "rb") as f:
        data.frombytes(f.read())
    if sys.byteorder != "little":  # the files are written little-endian
        data.byteswap()
    return data


class CharLM:
    def __init__(self, directory: Path = DATA) -> None:
        self.keys = [_read_array(directory / k, "q") for k, _ in LM_FILES]
        self.counts = [_read_array(directory / c, "I") for _, c in LM_FILES]
        self.total = sum(self.counts[0])
        self.vocab = len(self.counts[0])

    def count(self, gram: str) -> int:
        n = len(gram) - 1
        keys, key = self.keys[n], ngram_key(gram)
        i = bisect_left(keys, key)
        return self.counts[n][i] if i < len(keys) and keys[i] == key else 0

    def logp(self, context: str, ch: str) -> float:
        """log P(ch | the last two characters of context), stupid backoff."""
        if len(context) >= 2:
            ab = context[-2:]
            tri = self.count(ab + ch)
            if tri:
                return math.log(tri / self.count(ab))
        if context:
            b = context[-1]
            bi = self.count(b + ch)
            if bi:
                return BACKOFF + math.log(bi / self.count(b))
            penalty = 2 * BACKOFF
        else:
            penalty = BACKOFF
        return penalty + math.log((self.count(ch) + 1) / (self.total + self.vocab))

    def score(self, text: str, start: int, end: int) -> float:
        """Log probability of text[start:end + 2] given the two characters before it: the part of the
        text whose probability a change inside [start, end) can affect."""
        total = 0.0
        for i in range(start, min(len(text), end + 2)):
            total += self.logp(text[max(0, i - 2):i], text[i])
        return total


def _lines(name: str):
    with open(DATA / name, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def data_version() -> str:
    """Digest of the data files, written by the build."""
    return (DATA / "VERSION").read_text(encoding="ascii").strip()


@cache
def language_model() -> CharLM:
    return CharLM()


@cache
def confusions() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Homophones, similar shapes and similar sounds of each character."""
    homo, shape, near = {}, {}, {}
    for ch, h, s, n in _lines("confusion.txt"):
        homo[ch], shape[ch], near[ch] = h, s, n
    return homo, shape, near


def _pairs(name: str) -> dict[str, str]:
    """A file of alternating lines, key then value: dict() over two slices runs in C."""
    with open(DATA / name, encoding="utf-8") as f:
        lines = f.read().split("\n")
    start = 1 if lines and lines[0].startswith("#") else 0
    return dict(zip(lines[start::2], lines[start + 1::2], strict=False))


@cache
def wildcard() -> dict[str, str]:
    """Word with one position blanked (?) → characters completing a frequent word."""
    return _pairs("wildcard_words.txt")


def _set(name: str) -> frozenset[str]:
    """A file of one item a line (after a # header line)."""
    with open(DATA / name, encoding="utf-8") as f:
        return frozenset(f.read().split("\n")[1:]) - {""}


@cache
def idioms() -> tuple[dict[str, str], dict[str, str]]:
    """First half of the idioms → their second halves, concatenated; second half → first halves. One
    substitution away from an idiom, a window keeps one half whole."""
    return _pairs("idiom_heads.txt"), _pairs("idiom_tails.txt")


@cache
def common_pairs() -> frozenset[str]:
    """Character pairs seen more than COMMON_PAIR times in the corpus: a character between two of them is
    no typo worth a lookup (a typo mostly makes a pair the corpus never saw)."""
    return _set("common_pairs.txt")


@cache
def suspects() -> dict[str, list[tuple[str, float]]]:
    out = {}
    for word, targets in _lines("suspect.txt"):
        out[word] = [(t, float(r)) for t, r in (x.split(":") for x in targets.split(","))]
    return out


@cache
def places() -> frozenset[str]:
    return _set("places.txt")
