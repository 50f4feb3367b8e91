"""Score the content checker's typo detection on independently labelled data.

    python benchmarks/spelling_eval.py --split dev        # tune on this
    python benchmarks/spelling_eval.py --split heldout    # report this; never tune on it
    python benchmarks/spelling_eval.py --clean tests/textcheck/data/clean_official.tsv

A labelled file has ``source<TAB>target`` rows of equal length (``#`` lines are comments). A character
position is wrong when source and target differ there. A typo or expression-error finding predicts the
positions where its suggestion differs from its text (the whole span when the lengths differ).

Printed figures:
- character level: precision, recall and F1 of predicted wrong positions;
- sentence level (the SIGHAN detection metric): a sentence counts as detected correctly when the
  predicted positions equal the gold positions exactly;
- false positives per 1,000 clean sentences: clean sentences with any typo or expression-error finding.
A clean file (``--clean``) has one sentence per row in its first column and is scored for the last only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govmedia.textcheck import Checker  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "textcheck" / "data"
SPELLING = frozenset({"typo", "expression_error"})


def read_pairs(path: Path) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        source, target = line.split("\t")[:2]
        if len(source) != len(target):
            raise SystemExit(f"{path}:{number}: source and target differ in length")
        rows.append((source, target))
    return rows


def read_clean(path: Path) -> list[str]:
    return [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def predicted_positions(checker: Checker, text: str) -> set[int]:
    positions: set[int] = set()
    for f in checker.check(text):
        if f.category not in SPELLING:
            continue
        fix = f.suggestion or ""
        if len(fix) == f.end - f.start:
            positions.update(f.start + i for i, (a, b) in enumerate(zip(f.text, fix, strict=True)) if a != b)
        else:
            positions.update(range(f.start, f.end))
    return positions


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_pairs(checker: Checker, pairs: list[tuple[str, str]]) -> dict:
    tp = fp = fn = 0
    s_tp = s_fp = s_fn = 0
    clean = clean_flagged = 0
    for source, target in pairs:
        gold = {i for i, (a, b) in enumerate(zip(source, target, strict=True)) if a != b}
        pred = predicted_positions(checker, source)
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if pred:
            if pred == gold:
                s_tp += 1
            else:
                s_fp += 1
        if gold and pred != gold:
            s_fn += 1
        if not gold:
            clean += 1
            clean_flagged += bool(pred)
    cp, cr = ratio(tp, tp + fp), ratio(tp, tp + fn)
    sp, sr = ratio(s_tp, s_tp + s_fp), ratio(s_tp, s_tp + s_fn)
    return {
        "sentences": len(pairs), "with_errors": len(pairs) - clean, "wrong_chars": tp + fn,
        "char": {"precision": cp, "recall": cr, "f1": f1(cp, cr), "tp": tp, "fp": fp, "fn": fn},
        "sentence": {"precision": sp, "recall": sr, "f1": f1(sp, sr)},
        "clean_sentences": clean, "clean_flagged": clean_flagged,
        "fp_per_1000_clean": 1000 * ratio(clean_flagged, clean),
    }


def score_clean(checker: Checker, sentences: list[str]) -> dict:
    flagged = [s for s in sentences if any(f.category != "sensitive_topic" and f.severity != "info"
                                           for f in checker.check(s))]
    return {"sentences": len(sentences), "flagged": len(flagged),
            "fp_per_100": 100 * ratio(len(flagged), len(sentences)), "examples": flagged[:20]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "heldout"))
    parser.add_argument("--clean", type=Path, help="file of clean sentences (first column)")
    args = parser.parse_args()
    if not args.split and not args.clean:
        parser.error("give --split or --clean")
    checker = Checker()
    started = time.perf_counter()
    if args.split:
        result = score_pairs(checker, read_pairs(DATA / "sighan15" / f"{args.split}.tsv"))
        result["split"] = args.split
    else:
        result = score_clean(checker, read_clean(args.clean))
        result["file"] = str(args.clean)
    result["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
