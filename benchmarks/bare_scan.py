"""The baseline process for the CLI benchmark: read a lexicon's terms and a text file, scan the text with a
bare ahocorasick-rs automaton, write the matches as JSON. Kept to what such a tool needs, nothing more.

    python benchmarks/bare_scan.py LEXICON.tsv TEXT.txt OUT.json
"""

import json
import sys

import ahocorasick_rs


def main(lexicon: str, text_path: str, out_path: str) -> None:
    with open(lexicon, encoding="utf-8") as handle:
        terms = [line.split("\t")[1].strip() for line in handle if line.strip() and not line.startswith("#")]
    automaton = ahocorasick_rs.AhoCorasick(terms)
    with open(text_path, encoding="utf-8") as handle:
        text = handle.read()
    matches = automaton.find_matches_as_indexes(text)
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump([{"term": terms[p], "start": s, "end": e} for p, s, e in matches], out, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
