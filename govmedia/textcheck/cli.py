"""``govmedia check [--lexicon FILE]... [--format json|text] [--no-spelling] PATH...`` — check files.

Exit status: 0 nothing found, 1 something found, 2 usage or input error (unreadable file, undecodable
text, bad lexicon). ``-`` reads standard input. Plain text files are streamed, so their size is not
limited by memory; HTML and .docx are read whole.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence

from .categories import LEXICON_CATEGORIES
from .checker import Checker, Finding
from .lexicon import LexiconError, load_lexicon
from .readers import (
    FALLBACK_ENCODING,
    EncodingError,
    InputError,
    iter_text_file,
    kind_of,
    read_document,
    undecodable,
    unreadable,
)

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is 2 as well; add a Chinese hint
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"参数错误（usage error）: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="govmedia check",
        description="检查政务新媒体稿件中的表述错误、错别字、违法有害信息、商业广告、涉密标识、个人观点和敏感话题。"
                    " Checks plain text, HTML (visible text) and .docx files.",
        epilog="退出码 (exit status): 0 未发现问题 (clean), 1 发现问题 (findings), 2 参数、输入或词库错误 (error).\n"
               "词库格式 (lexicon format): UTF-8, 每行 category<TAB>term[<TAB>suggestion], # 起注释;\n"
               f"category: {', '.join(LEXICON_CATEGORIES)}.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="要检查的文件，- 表示标准输入 (file, or - for stdin)")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="附加词库文件，可重复 (extra lexicon, repeatable); 格式: 类别<TAB>词条[<TAB>建议]")
    parser.add_argument("--format", choices=("json", "text"), default="text", help="输出格式 (default: text)")
    parser.add_argument("--no-default-lexicon", action="store_true", help="不加载内置词库 (skip shipped lexicons)")
    parser.add_argument("--pinyin", action="store_true", help="同时匹配违法有害词的拼音及首字母 (match pinyin too)")
    parser.add_argument("--no-spelling", action="store_true",
                        help="不做词库之外的错别字检测（语言模型），只按词库和内置规则检查，速度更快"
                             " (list and rule checks only, no statistical typo detection)")
    return parser


def _check_path(checker: Checker, path: str) -> list[Finding]:
    if path != "-":
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError as exc:
            raise unreadable(path, exc) from exc
        if kind_of(path, head) == "text":
            # Streamed; a file that is not UTF-8 is read again as GB18030 from the start.
            try:
                return list(checker.iter_check(iter_text_file(path)))
            except EncodingError:
                try:
                    return list(checker.iter_check(iter_text_file(path, FALLBACK_ENCODING)))
                except EncodingError:
                    raise undecodable(path) from None
    return checker.check(read_document(path).text)


def _text_line(path: str, f: Finding) -> str:
    fix = f" → {f.suggestion}" if f.suggestion else ""
    return f"{path}:{f.line}:{f.column}: [{f.category}/{f.severity}] {f.text}{fix} ({f.explanation})"


def _write_json(out, results: list[tuple[str, list[Finding]]]) -> None:
    """The list of ``{"path", "findings"}`` objects, one finding per line. json.dump with ``indent`` runs
    the pure-Python encoder, a third of the CLI's time on 10 MB; each finding through the C encoder is not."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    out.write("[")
    for i, (path, findings) in enumerate(results):
        out.write(f'{"," if i else ""}\n  {{"path": {encode(path)}, "findings": [')
        if findings:
            out.write("\n    " + ",\n    ".join(encode(f.to_dict()) for f in findings) + "\n  ")
        out.write("]}")
    out.write("\n]\n")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2); returned, not raised, for callers
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    out = sys.stdout
    if hasattr(out, "reconfigure") and (out.encoding or "").lower().replace("-", "") != "utf8":
        out.reconfigure(encoding="utf-8")
    # Building allocates hundreds of thousands of small acyclic objects per 50,000 terms; the cyclic
    # collector would traverse them again and again for nothing (about a tenth of the build time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        lexicons = [load_lexicon(path) for path in args.lexicon]
        checker = Checker(lexicons, defaults=not args.no_default_lexicon, pinyin=args.pinyin,
                          spelling=not args.no_spelling)
    except LexiconError as exc:
        print(f"词库错误（lexicon error）: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if collecting:
            gc.enable()

    results, errors, total = [], 0, 0
    for path in args.paths:
        try:
            findings = _check_path(checker, path)
        except InputError as exc:
            print(f"输入错误（input error）: {exc}", file=sys.stderr)
            errors += 1
            continue
        total += len(findings)
        if args.format == "json":
            results.append((path, findings))
        else:
            results.append(path)
            out.write("".join(_text_line(path, f) + "\n" for f in findings))
    if args.format == "json":
        _write_json(out, results)
    out.flush()
    print(f"检查 {len(results)} 个文件，发现 {total} 处问题（checked {len(results)} file(s), {total} finding(s)）"
          + (f"；{errors} 个文件无法读取（{errors} unreadable）" if errors else ""), file=sys.stderr)
    if errors:
        return EXIT_ERROR
    return EXIT_FOUND if total else EXIT_CLEAN
