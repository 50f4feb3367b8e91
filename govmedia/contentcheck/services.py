from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

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


def registry_names() -> frozenset[str]:
    """Proper names the registry knows (units, accounts, people): the speller never reports them as typos."""
    names: set[str] = set()
    for pair in Unit.objects.values_list("name", "short_name"):
        names.update(pair)
    names.update(Person.objects.values_list("name", flat=True))
    names.update(TeamMember.objects.values_list("name", flat=True))
    for row in Account.objects.values_list("name", "host_leader_name", "operating_leader_name",
                                           "host_opinion_signer", "competent_opinion_signer"):
        names.update(row)
    return frozenset(n.strip() for n in names if n and len(n.strip()) >= 2)


def active_checker() -> Checker:
    """The shipped lexicons plus every active district lexicon, with the registry's proper names; rebuilt
    only when a lexicon or a name changes."""
    rows = list(Lexicon.objects.filter(is_active=True).order_by("name").values_list("name", "version", "content"))
    names = registry_names()
    # The names themselves are the key: a few thousand short strings, cheaper to compare than to keep a
    # change counter on every model that holds a name.
    key = (tuple((name, version) for name, version, _ in rows), names)
    checker = _checker_cache.get(key)
    if checker is None:
        checker = Checker([parse_lexicon(content, f"db:{name}") for name, _, content in rows], names=names)
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
