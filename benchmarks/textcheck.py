"""Benchmark of govmedia.textcheck against a bare ahocorasick-rs scan of the same terms over the same text.

    python benchmarks/textcheck.py            # 50,000 terms, 50 MiB of generated Chinese text
    python benchmarks/textcheck.py --mb 5     # quick run
    python benchmarks/textcheck.py --memory   # also peak RSS of streaming checks of two text sizes

Targets: full checker ≥ 0.3 × bare scan throughput on one core; building the 50k-term lexicon < 2 s;
memory flat in text size. MB here is MiB of UTF-8 input.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ahocorasick_rs  # noqa: E402

from govmedia.textcheck import Checker, parse_lexicon  # noqa: E402

MIB = 1 << 20
# The 3,755 most frequent characters (GB2312 level 1), a realistic alphabet for government prose.
COMMON = [bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF)
          if not (hi == 0xD7 and lo > 0xF9)]
PUNCT = "，，，，。。。、；：！？“”"
TRADITIONAL = "國際會議發展經濟體後來與為"
CATEGORY_SHARE = [("prohibited", 18000), ("typo", 10000), ("expression_error", 5000), ("advertising", 5000),
                  ("sensitive_topic", 5000), ("allow", 2000), ("canonical", 1500), ("personal_opinion", 1500),
                  ("secret_marking", 2000)]


def make_lexicon_text(n_terms: int, rng: random.Random) -> tuple[str, list[str]]:
    """A lexicon file of ``n_terms`` random 2–6 character terms, spread over the categories."""
    terms: set[str] = set()
    rows, plain = [], []
    total = sum(k for _, k in CATEGORY_SHARE)
    for category, share in CATEGORY_SHARE:
        for _ in range(n_terms * share // total):
            low = 6 if category == "canonical" else 2
            while (term := "".join(rng.choices(COMMON, k=rng.randint(low, low + 4)))) in terms:
                pass
            terms.add(term)
            plain.append(term)
            if category in ("typo", "expression_error"):
                right = term[:-1] + rng.choice(COMMON)
                rows.append(f"{category}\t{term}\t{right}" if right != term else f"{category}\t{term}")
            else:
                rows.append(f"{category}\t{term}")
    return "# source: benchmark\n" + "\n".join(rows) + "\n", plain


def text_pieces(mib: float, terms: list[str], seed: int = 7, piece_chars: int = 1 << 16):
    """Generated Chinese prose in pieces, with planted terms, noise, digits, Latin, reduplications."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choices(COMMON, k=rng.choice((1, 2, 2, 2, 3, 4)))) for _ in range(30000)]
    weights = [1 / (i + 10) for i in range(len(vocab))]
    target = mib * MIB
    produced = 0
    while produced < target:
        words = rng.choices(vocab, weights, k=piece_chars // 2)
        out, length = [], 0
        for word in words:
            r = rng.random()
            if r < 0.08:
                word += rng.choice(PUNCT)
            elif r < 0.085:
                word = word[0] * 2 + word  # reduplication (常常, 层层)
            elif r < 0.09:
                word += str(rng.randint(1, 2025)) + rng.choice("年人个元万")
            elif r < 0.092:
                word += rng.choice((" APP ", " 5G ", "GDP", " WiFi "))
            elif r < 0.093:
                word += rng.choice(TRADITIONAL) + "１２"
            elif r < 0.0945:
                term = rng.choice(terms)
                word += rng.choice(("-", " ", "*", "")).join(term) if rng.random() < 0.3 else term
            out.append(word)
            length += len(word)
            if length >= piece_chars:
                break
        piece = "".join(out)
        produced += len(piece.encode())
        yield piece


def bench(mib: float, n_terms: int, repeat: int) -> None:
    rng = random.Random(1)
    lexicon_text, plain_terms = make_lexicon_text(n_terms, rng)
    t0 = time.perf_counter()
    lexicon = parse_lexicon(lexicon_text, "benchmark.tsv")
    checker = Checker(lexicon, defaults=False)
    build = time.perf_counter() - t0
    print(f"lexicon: {len(lexicon):,} terms; parse + compile checker: {build:.2f} s (target < 2 s)")

    text = "".join(text_pieces(mib, plain_terms))
    size = len(text.encode()) / MIB
    print(f"text: {size:.1f} MiB UTF-8, {len(text):,} characters")

    t0 = time.perf_counter()
    bare = ahocorasick_rs.AhoCorasick(plain_terms)
    bare_build = time.perf_counter() - t0
    print(f"bare automaton of the same {len(plain_terms):,} terms built in {bare_build:.2f} s")

    # Interleaved repetitions, best time of each: other processes on the machine slow down single runs.
    runs = {"bare scan": {}, "bare scan, overlapping": {"overlapping": True}, "full checker": None}
    timings = {label: float("inf") for label in runs}
    hits: dict[str, int] = {}
    findings: list = []
    for _ in range(repeat):
        for label, kwargs in runs.items():
            fresh = text[:1] + text[1:]  # a new str each time: nothing cached from an earlier call
            t0 = time.perf_counter()
            if kwargs is None:
                findings = checker.check(fresh)
            else:
                hits[label] = len(bare.find_matches_as_indexes(fresh, **kwargs))
            timings[label] = min(timings[label], time.perf_counter() - t0)
            del fresh
    for label in ("bare scan", "bare scan, overlapping"):
        print(f"{label}: {size / timings[label]:6.1f} MB/s  ({hits[label]:,} hits)")
    full = timings["full checker"]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.category] = counts.get(f.category, 0) + 1
    print(f"full checker: {size / full:6.1f} MB/s  ({len(findings):,} findings: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())) + ")")
    for label in ("bare scan", "bare scan, overlapping"):
        print(f"ratio full / {label}: {timings[label] / full:.2f}  (target ≥ 0.30)")


def peak_rss_mib() -> float:
    """Peak resident memory of this process. VmHWM, because ru_maxrss survives fork + exec on Linux and
    would report the parent's peak in a subprocess."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_probe(mib: float, n_terms: int) -> None:
    """Stream generated text through the checker without ever holding it; print peak RSS."""
    lexicon_text, plain_terms = make_lexicon_text(n_terms, random.Random(1))
    checker = Checker(parse_lexicon(lexicon_text, "benchmark.tsv"), defaults=False)
    before = peak_rss_mib()
    count = sum(1 for _ in checker.iter_check(text_pieces(mib, plain_terms)))
    print(f"{mib:g} MiB streamed: {count:,} findings, peak RSS {peak_rss_mib():.0f} MiB "
          f"(peak after building the checker: {before:.0f} MiB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50, help="MiB of text to check (default 50)")
    parser.add_argument("--terms", type=int, default=50000, help="lexicon size (default 50000)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs, the best shown (default 3)")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory for two text sizes")
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        memory_probe(args.mb, args.terms)
        return 0
    bench(args.mb, args.terms, args.repeat)
    if args.memory:
        for mib in (args.mb / 5, args.mb):
            probe = [sys.executable, __file__, "--memory-probe", "--mb", str(mib), "--terms", str(args.terms)]
            subprocess.run(probe, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
