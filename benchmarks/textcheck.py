"""Benchmark of govmedia.textcheck against a bare ahocorasick-rs scan of the same terms over the same text.

    python benchmarks/textcheck.py            # library (50 MiB), CLI end to end (10 MiB), start-up, prose
    python benchmarks/textcheck.py --mb 5     # quicker library run
    python benchmarks/textcheck.py --only library|cli|prose
    python benchmarks/textcheck.py --memory   # also peak RSS of streaming checks of two text sizes

Every target is a ratio against a baseline measured in the same run, or a plain figure:
- library: full checker, lists and rules (``spelling=False``), on generated text ≥ 0.3 × bare scan
  throughput on one core;
  building the 50k-term lexicon < 2 s; memory flat in text size;
- CLI end to end: ``govmedia check --format json --no-spelling --lexicon 50k.tsv FILE`` as a process (read,
  check, write JSON) ≥ 0.3 × a process doing the bare scan of the same file (benchmarks/bare_scan.py: read,
  scan, write JSON), both timed from outside, interleaved, medians of CPU and wall time
  (``--cli-every-check`` adds the default CLI, statistical typo detection included);
- start-up: the CLI on an empty file with the shipped lexicons and every check on < 0.5 s;
- every check on (statistical typo detection included) on real official prose ≥ 1 MB/s on one core.
MB here is MiB of UTF-8 input.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
    # Lists and rules, what a bare scan of the same terms stands in for; statistical typo detection has
    # its own figure on real prose (prose_bench): on random generated text it measures nothing useful.
    checker = Checker(lexicon, defaults=False, spelling=False)
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
    checker = Checker(parse_lexicon(lexicon_text, "benchmark.tsv"), defaults=False, spelling=False)
    before = peak_rss_mib()
    count = sum(1 for _ in checker.iter_check(text_pieces(mib, plain_terms)))
    print(f"{mib:g} MiB streamed: {count:,} findings, peak RSS {peak_rss_mib():.0f} MiB "
          f"(peak after building the checker: {before:.0f} MiB)")


def run_timed(command: list[str], stdout: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one process, its output sent to ``stdout``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(stdout, "wb") as out:
        code = subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


CLI = [sys.executable, "-m", "govmedia.cli", "check", "--format", "json"]
# Peak memory of the CLI itself: VmHWM read inside the process (see peak_rss_mib for why not ru_maxrss).
PEAK_WRAPPER = ("import sys; from govmedia.cli import main; code = main(sys.argv[1:]); "
                "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0], "
                "file=sys.stderr); sys.exit(code)")


def cli_peak_rss_mib(args: list[str]) -> float:
    done = subprocess.run([sys.executable, "-c", PEAK_WRAPPER, *args], cwd=ROOT, capture_output=True, text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def cli_bench(mib: float, n_terms: int, repeat: int, every_check: bool) -> None:
    """The CLI as a user runs it against a process doing only the bare scan, on the same files.

    The like-for-like comparison is the CLI with ``--no-spelling`` (lists and rules: what the bare scan
    stands in for). With ``every_check`` the default CLI, statistical typo detection included, is timed
    too; on generated text that costs minutes per MiB, so it is asked for explicitly."""
    lexicon_text, plain_terms = make_lexicon_text(n_terms, random.Random(1))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lexicon, text, empty = work / "terms.tsv", work / "text.txt", work / "empty.txt"
        lexicon.write_text(lexicon_text, encoding="utf-8")
        with open(text, "w", encoding="utf-8") as handle:
            handle.writelines(text_pieces(mib, plain_terms))
        empty.write_text("", encoding="utf-8")
        size = text.stat().st_size / (1 << 20)
        commands = {
            "bare scan process": [sys.executable, str(ROOT / "benchmarks" / "bare_scan.py"), str(lexicon), str(text),
                                  str(work / "bare.json")],
            "CLI, --no-spelling": [*CLI, "--no-spelling", "--lexicon", str(lexicon), str(text)],
        }
        if every_check:
            commands["CLI, every check"] = [*CLI, "--lexicon", str(lexicon), str(text)]
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
        for _ in range(repeat):  # interleaved, so a slower spell of the machine hits all alike
            for label, command in commands.items():
                runs[label].append(run_timed(command, work / "out.json"))
        print(f"CLI end to end: {size:.1f} MiB file, {n_terms:,} terms (--lexicon), JSON written to a file; "
              f"medians of {repeat} interleaved runs")
        medians = {label: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
                   for label, r in runs.items()}
        for label, (wall, cpu) in medians.items():
            print(f"  {label:20s} wall {wall:6.2f} s  cpu {cpu:6.2f} s  ({size / wall:5.1f} MB/s wall)")
        bare_wall, bare_cpu = medians["bare scan process"]
        for label in list(commands)[1:]:
            wall, cpu = medians[label]
            print(f"  ratio {label} / bare scan process: wall {bare_wall / wall:.2f}, cpu {bare_cpu / cpu:.2f}"
                  "  (target ≥ 0.30)")
        if not every_check:
            print("  (the default CLI with statistical typo detection is timed with --cli-every-check)")
        for label in list(commands)[1:]:
            print(f"  peak RSS of the {label}: {cli_peak_rss_mib(commands[label][3:]):.0f} MiB")

        # The empty file shows the fixed cost; one sentence also pays for whatever is loaded on first use.
        sentence = work / "sentence.txt"
        sentence.write_text("区政府召开常务会议，研究部署安全生产工作。\n", encoding="utf-8")
        for label, path in (("empty file", empty), ("one sentence", sentence)):
            startup = [run_timed([*CLI, str(path)], work / "out.json") for _ in range(max(repeat, 5))]
            wall, cpu = statistics.median(w for w, _ in startup), statistics.median(c for _, c in startup)
            print(f"CLI start-up ({label}, shipped lexicons, every check on): wall {wall:.2f} s, cpu {cpu:.2f} s "
                  f"(median of {len(startup)}; target < 0.5 s); peak RSS "
                  f"{cli_peak_rss_mib(['check', '--format', 'json', str(path)]):.0f} MiB")


def official_prose(mib: float) -> str:
    """Real official prose: the clean official sentences and a published government document, repeated."""
    rows = (ROOT / "tests" / "textcheck" / "data" / "clean_official.tsv").read_text(encoding="utf-8")
    sentences = "".join(line.split("\t")[0] for line in rows.splitlines() if line and not line.startswith("#"))
    reference = ROOT.parent.parent / "shared" / "reference" / "000_dde9604940f8697a.txt"
    unit = sentences + "\n" + (reference.read_text(encoding="utf-8") if reference.exists() else "")
    copies = max(1, round(mib * (1 << 20) / len(unit.encode())))
    return (unit + "\n") * copies


def prose_bench(mib: float, repeat: int) -> None:
    text = official_prose(mib)
    size = len(text.encode()) / MIB
    t0 = time.perf_counter()
    checker = Checker()  # the shipped lexicons and every check, statistical typo detection included
    build = time.perf_counter() - t0
    best, best_cpu, findings = float("inf"), float("inf"), []
    for _ in range(repeat):
        fresh = text[:1] + text[1:]
        t0, c0 = time.perf_counter(), time.process_time()
        findings = checker.check(fresh)
        best, best_cpu = min(best, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
    per_100k = 100_000 * len(findings) / len(text)
    # Per core: MB per CPU second of this single-threaded process; wall time also counts other processes.
    print(f"every check on, official prose: {size:.1f} MiB, {size / best_cpu:.2f} MB/s per CPU second "
          f"(target ≥ 1; {size / best:.2f} MB/s wall), "
          f"checker built in {build:.2f} s; {len(findings):,} findings ({per_100k:.1f} per 100,000 characters); "
          f"peak RSS of this process {peak_rss_mib():.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50, help="MiB of text to check (default 50)")
    parser.add_argument("--terms", type=int, default=50000, help="lexicon size (default 50000)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs, the best shown (default 3)")
    parser.add_argument("--cli-mb", type=float, default=10, help="MiB of text for the CLI runs (default 10)")
    parser.add_argument("--prose-mb", type=float, default=3, help="MiB of official prose (default 3)")
    parser.add_argument("--cli-every-check", action="store_true",
                        help="also time the default CLI (statistical typo detection on); slow on generated text")
    parser.add_argument("--only", choices=("library", "cli", "prose"), help="run one part only")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory for two text sizes")
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        memory_probe(args.mb, args.terms)
        return 0
    if args.only in (None, "library"):
        bench(args.mb, args.terms, args.repeat)
    if args.only in (None, "cli"):
        cli_bench(args.cli_mb, args.terms, max(args.repeat, 3), args.cli_every_check)
    if args.only in (None, "prose"):
        prose_bench(args.prose_mb, args.repeat)
    if args.memory:
        for mib in (args.mb / 5, args.mb):
            probe = [sys.executable, __file__, "--memory-probe", "--mb", str(mib), "--terms", str(args.terms)]
            subprocess.run(probe, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
