"""Content checker for government new-media posts (pure Python, no Django).

    from govmedia.textcheck import Checker, load_lexicon
    findings = Checker([load_lexicon("extra.tsv")]).check(text)

See ``lexicon`` for the lexicon file format and ``cli`` for ``govmedia check``.
"""

from .categories import FINDING_CATEGORIES, LABEL, SEVERITY
from .checker import Checker, Finding, check_text
from .lexicon import (
    Entry,
    Lexicon,
    LexiconError,
    default_lexicon,
    default_lexicons,
    load_lexicon,
    parse_lexicon,
)
from .readers import Document, InputError, read_document

__all__ = [
    "FINDING_CATEGORIES", "LABEL", "SEVERITY", "Checker", "Document", "Entry", "Finding", "InputError",
    "Lexicon", "LexiconError", "check_text", "default_lexicon", "default_lexicons", "load_lexicon",
    "parse_lexicon", "read_document",
]
