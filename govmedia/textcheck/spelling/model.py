"""The speller's data, loaded on first use: confusion sets, the wildcard index, character counts and
the word language model.

Character counts come from People's Daily (January 1998), stored as sorted arrays of keys (code points)
and 32-bit counts, read with ``array.fromfile`` and searched with ``bisect``: start-up costs a file read.
They tell how common a character is (a slip is rarely a character the corpus hardly knows).

The word language model is fcitx's word trigram model (``zh_CN.lm``, KenLM binary, LGPL-2.1+; see
``data/README.md``), memory-mapped on first use. Its vocabulary is libime's, so a jieba token it does not
know is split into the longest words it does know.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "spelling"
HAN_RE = re.compile(r"[\u3400-\u9fff]+")
WORD_LM = "zh_CN.lm"
COUNT_FILES = ("lm1.keys", "lm1.counts")
COMMON_PAIR = 1


def ngram_key(gram: str) -> int:
    """Up to three code points of 21 bits in one signed 64-bit integer (exact, no collisions)."""
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


class CharCounts:
    def __init__(self, directory: Path = DATA) -> None:
        self.keys = _read_array(directory / COUNT_FILES[0], "q")
        self.counts = _read_array(directory / COUNT_FILES[1], "I")

    def count(self, ch: str) -> int:
        keys, key = self.keys, ngram_key(ch)
        i = bisect_left(keys, key)
        return self.counts[i] if i < len(keys) and keys[i] == key else 0


class WordLM:
    def __init__(self, path: Path = DATA / WORD_LM) -> None:
        import kenlm

        self.model = kenlm.Model(str(path))
        self.split = cache(self._split)

    def _split(self, token: str) -> tuple[str, ...]:
        """The token if the model knows it, else the longest known words it starts with, in turn."""
        model = self.model
        if token in model:
            return (token,)
        out, i = [], 0
        while i < len(token):
            size = next((n for n in range(min(4, len(token) - i), 1, -1) if token[i:i + n] in model), 1)
            out.append(token[i:i + size])
            i += size
        return tuple(out)

    def words(self, tokens: Iterable[str]) -> list[str]:
        split = self.split
        return [w for tok in tokens for w in split(tok)]

    def score(self, text: str, bos: bool, eos: bool) -> float:
        """log10 probability of a run of Han characters, segmented afresh: a change re-segments its
        neighbourhood (急燥 falls into 急/燥, 急躁 is one word)."""
        import rjieba

        return self.model.score(" ".join(self.words(rjieba.cut(text, hmm=False))), bos=bos, eos=eos)


def _lines(name: str):
    with open(DATA / name, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def data_version() -> str:
    """Digest of the data files, written by the build."""
    return (DATA / "VERSION").read_text(encoding="ascii").strip()


@cache
def char_counts() -> CharCounts:
    return CharCounts()


@cache
def word_lm() -> WordLM:
    return WordLM()


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
    heads, tails = _pairs("idiom_heads.txt"), _pairs("idiom_tails.txt")
    # the hand-kept supplement: idioms the built list lacks (不知所踪), so that they are never "corrected"
    with open(DATA / "idioms_supplement.txt", encoding="utf-8") as f:
        for word in (line.strip() for line in f):
            if len(word) == 4 and not word.startswith("#"):
                heads[word[:2]] = heads.get(word[:2], "") + word[2:]
                tails[word[2:]] = tails.get(word[2:], "") + word[:2]
    return heads, tails


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
def pairs() -> dict[str, str]:
    """Single-character words → the characters they are often written for (的 → 地得)."""
    return dict(_lines("pairs.txt"))


@cache
def places() -> frozenset[str]:
    return _set("places.txt")
