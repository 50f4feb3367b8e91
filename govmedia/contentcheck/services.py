from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Coalesce, Concat

from govmedia import clock
from govmedia.contentcheck.models import ContentCheck, Lexicon, LexiconRevision, StoredFinding
from govmedia.orgs.models import Person, Unit, User
from govmedia.registry.models import Account, TeamMember
from govmedia.registry.selectors import accounts_visible_to
from govmedia.textcheck import Checker, LexiconError, parse_lexicon
from govmedia.textcheck.categories import HIGH, INFO, LOW, MEDIUM

_checker_cache: dict[tuple, Checker] = {}
# A hostile or garbled text can yield tens of thousands of findings; nobody reads past a few thousand, and
# storing and highlighting them all would hold a worker for seconds. The most serious are kept first.
MAX_STORED_FINDINGS = 2_000
_SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2, INFO: 3}


def parse_lexicon_content(name: str, content: str):
    """The parsed lexicon, or a ValidationError naming the line and the reason."""
    try:
        return parse_lexicon(content, f"db:{name}")
    except LexiconError as error:
        raise ValidationError({"content": [f"第 {error.line} 行：{error.reason}"]}) from error


@transaction.atomic
def lexicon_save(*, lexicon: Lexicon, by: User | None) -> Lexicon:
    """Validate and save a lexicon; every change of content becomes a revision."""
    parsed = parse_lexicon_content(lexicon.name, lexicon.content)
    changed = lexicon.pk is None or lexicon.version != parsed.version
    lexicon.version, lexicon.entry_count = parsed.version, len(parsed)
    if not lexicon.note and parsed.note:
        lexicon.note = parsed.note
    lexicon.save()
    if changed:
        LexiconRevision.objects.create(lexicon=lexicon, version=lexicon.version, content=lexicon.content,
                                       saved_at=clock.now(), saved_by=by)
    return lexicon


# Where the registry keeps proper names (registry_names reads them, names_marker fingerprints them).
_NAME_FIELDS = (
    (Unit, ("name", "short_name")),
    (Person, ("name",)),
    (TeamMember, ("name",)),
    (Account, ("name", "host_leader_name", "operating_leader_name", "host_opinion_signer",
               "competent_opinion_signer")),
)


def registry_names() -> frozenset[str]:
    """Proper names the registry knows (units, accounts, people): the speller never reports them as typos."""
    names: set[str] = set()
    for model, fields in _NAME_FIELDS:
        for row in model.objects.values_list(*fields):
            names.update(row)
    return frozenset(n.strip() for n in names if n and len(n.strip()) >= 2)


def names_marker() -> tuple:
    """A fingerprint of every name registry_names reads, in one query that returns one row: per table, the
    md5 of its name columns concatenated in primary-key order, computed by the database. Any insert, rename
    or delete changes it, whatever wrote it (a form, a service's UPDATE, an import, raw SQL), and the names
    themselves never leave the database."""
    aggregate = "string_agg(v, %s)" if connection.vendor == "postgresql" else "group_concat(v, %s)"
    parts, params = [], []
    for model, fields in _NAME_FIELDS:
        columns = []
        for field in fields:  # the columns with a separator between them, so "ab","c" differs from "a","bc"
            columns += [Value("\x1f"), Coalesce(field, Value(""))] if columns else [Coalesce(field, Value(""))]
        row = Concat(*columns, output_field=CharField()) if len(columns) > 1 else columns[0]
        inner, inner_params = model.objects.order_by("pk").annotate(v=row).values_list("v").query.sql_with_params()
        # Django registers MD5 on SQLite connections; PostgreSQL has it built in.
        parts.append(f"(SELECT MD5({aggregate}) FROM ({inner}) AS names_{model._meta.model_name})")
        params += [*inner_params, "\x1e"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return tuple(cursor.fetchone())


def active_checker() -> Checker:
    """The shipped lexicons plus every active district lexicon, with the registry's proper names; rebuilt
    only when a lexicon or a name changes.

    The cache key is cheap, two queries: each active lexicon's (name, version), its version being a hash of
    its entries, and the names' fingerprint (names_marker). Lexicon contents and the names themselves are
    read only to rebuild."""
    lexicons = tuple(Lexicon.objects.filter(is_active=True).order_by("name").values_list("name", "version"))
    key = (lexicons, names_marker())
    checker = _checker_cache.get(key)
    if checker is None:
        rows = Lexicon.objects.filter(is_active=True).order_by("name").values_list("name", "content")
        checker = Checker([parse_lexicon(content, f"db:{name}") for name, content in rows], names=registry_names())
        _checker_cache.clear()  # only the current combination is worth keeping
        _checker_cache[key] = checker
    return checker


@transaction.atomic
def content_check_run(*, text: str, title: str, by: User, account: Account | None = None) -> ContentCheck:
    """Check `text` and store the result; `account`, if given, is the account it is meant for (one the
    user sees), so that the account's operators and host unit find the check too."""
    if account is not None and not accounts_visible_to(by).filter(pk=account.pk).exists():
        raise PermissionDenied(f"无权为账号“{account.name}”做内容检查")
    checker = active_checker()
    findings = checker.check(text)
    stored = sorted(sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 4))[:MAX_STORED_FINDINGS],
                    key=lambda f: (f.start, f.end))
    run = ContentCheck.objects.create(
        unit=by.unit, account=account, checked_by=by, checked_at=clock.now(), title=title[:200] or "（无标题）",
        text=text,
        checker_version=checker.version, finding_count=len(findings),
    )
    # Findings are derived from the audited run (its text and checker version), so one bulk insert will do.
    StoredFinding.objects.bulk_create(
        StoredFinding(
            check_run=run, category=f.category, severity=f.severity, start=f.start, end=f.end, text=f.text[:400],
            suggestion=(f.suggestion or "")[:400], rule=f.rule[:200], source=f.source[:200],
            lexicon_version=f.lexicon_version, explanation=f.explanation[:400],
        )
        for f in stored
    )
    return run
