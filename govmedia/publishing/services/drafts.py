"""Drafts and their versions: written in the platform, pasted as HTML (sanitized) or imported from a DOCX.

A draft's text lives in versions. Before the first submission the author's edits rewrite version 1; every
edit after a submission makes a new version, so each round of review is kept and can be compared with the
last (selectors.version_diff). The content checker runs on every version it stores (VersionFinding).
"""

import html
import zipfile
import zlib

from django.db import transaction
from django.db.models import F
from lxml import etree

from govmedia import clock
from govmedia.audit.services import audited_update
from govmedia.contentcheck.services import active_checker
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.monitoring.engine.sanitize import html_to_text, sanitize_html
from govmedia.orgs.models import Unit, User
from govmedia.orgs.permissions import accounts_acted_for, may_write_drafts_for
from govmedia.publishing.models import (
    Draft,
    DraftKind,
    DraftState,
    DraftVersion,
    Grade,
    Origin,
    VersionFinding,
)
from govmedia.publishing.selectors import in_full_review
from govmedia.textcheck.docxtext import DocxProblem, read_docx

TITLE_MAX = 300
BODY_HTML_MAX = 500_000
EDITABLE_STATES = (DraftState.DRAFT, DraftState.REJECTED)
_FINDING_TEXT_MAX = VersionFinding._meta.get_field("text").max_length


def check_text(title: str, body_text: str) -> str:
    """The text the checker reads for a version: the title on the first line, then the body. A finding's
    start and end index this string."""
    return f"{title}\n{body_text}"


def _content(title: str, body_html: str) -> tuple[str, str, str]:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "请填写标题"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"标题不能超过 {TITLE_MAX} 字"})
    if len(body_html or "") > BODY_HTML_MAX:
        raise ValidationError({"body_html": f"正文过长（不超过 {BODY_HTML_MAX:,} 个字符）"})
    clean = sanitize_html(body_html or "")
    text = html_to_text(clean)
    if not text.strip():
        raise ValidationError({"body_html": "请填写正文"})
    return title, clean, text


def _checked_accounts(by: User, unit: Unit, accounts) -> list:
    accounts = list(accounts or ())
    allowed = set(accounts_acted_for(by).filter(host_unit=unit).values_list("pk", flat=True))
    refused = [account.name for account in accounts if account.pk not in allowed]
    if refused:
        raise PermissionDenied(f"不能为以下账号撰稿（须为本人所代表单位的账号）：{'、'.join(refused)}")
    return accounts


def _origin(origin: str, source_name: str) -> tuple[str, str]:
    if origin not in Origin.values:
        raise ValidationError({"origin": "来源须为原创或转载"})
    source_name = " ".join((source_name or "").split())[:200]
    if origin == Origin.REPOST and not source_name:
        raise ValidationError({"source_name": "转载须注明来源（第十一条）"})
    return origin, source_name if origin == Origin.REPOST else ""


def _store_findings(version: DraftVersion) -> None:
    version.findings.all().delete()
    found = active_checker().check(check_text(version.title, version.body_text))
    VersionFinding.objects.bulk_create([
        VersionFinding(version=version, category=f.category, severity=f.severity, start=f.start, end=f.end,
                       text=f.text[:_FINDING_TEXT_MAX], suggestion=(f.suggestion or "")[:200],
                       explanation=(f.explanation or "")[:500], rule=(f.rule or "")[:200])
        for f in found])


def _new_version(draft: Draft, by: User, now) -> DraftVersion:
    number = (draft.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DraftVersion.objects.create(draft=draft, number=number, title=draft.title, body_html=draft.body_html,
                                          body_text=draft.body_text, created_by=by, created_at=now)
    _store_findings(version)
    return version


@transaction.atomic
def draft_create(*, by: User, unit: Unit, title: str, body_html: str, accounts, origin: str = Origin.ORIGINAL,
                 source_name: str = "", marked_grade: str = Grade.ROUTINE, kind: str = DraftKind.POST,
                 repost_task=None) -> Draft:
    """A new draft of `unit` (the host unit of its target accounts), version 1 checked."""
    if not may_write_drafts_for(by, unit.pk):
        raise PermissionDenied("无权为该单位撰稿")
    if marked_grade not in Grade.values or kind not in DraftKind.values:
        raise ValidationError("审核等级或稿件类型无效")
    title, clean, text = _content(title, body_html)
    origin, source_name = _origin(origin, source_name)
    accounts = _checked_accounts(by, unit, accounts)
    now = clock.now()
    draft = Draft.objects.create(unit=unit, author=by, kind=kind, title=title, body_html=clean, body_text=text,
                                 origin=origin, source_name=source_name, marked_grade=marked_grade,
                                 repost_task=repost_task, created_at=now, updated_at=now)
    draft.accounts.set(accounts)
    _new_version(draft, by, now)
    return draft


@transaction.atomic
def draft_edit(*, draft: Draft, by: User, title: str, body_html: str, accounts=None, origin: str | None = None,
               source_name: str | None = None) -> Draft:
    """The author edits a draft not under review. After a submission every edit is a new version."""
    if draft.author_id != by.pk:
        raise PermissionDenied("只有撰稿人可以修改稿件")
    if draft.state not in EDITABLE_STATES:
        raise RuleViolation(f"稿件{draft.get_state_display()}，不能修改")
    title, clean, text = _content(title, body_html)
    origin, source_name = _origin(origin if origin is not None else draft.origin,
                                  source_name if source_name is not None else draft.source_name)
    if accounts is not None:
        draft.accounts.set(_checked_accounts(by, draft.unit, accounts))
    now = clock.now()
    changed = (title, clean) != (draft.title, draft.body_html)
    if not audited_update(draft, where={"revision": draft.revision, "state__in": EDITABLE_STATES}, title=title,
                          body_html=clean, body_text=text, origin=origin, source_name=source_name,
                          updated_at=now, revision=F("revision") + 1):
        raise Conflict("该稿件已被他人处理，请刷新后查看")
    if draft.round == 0:
        version = draft.current_version
        version.title, version.body_html, version.body_text, version.created_at = title, clean, text, now
        version.save()
        _store_findings(version)
    elif changed:
        _new_version(draft, by, now)
    return draft


def docx_to_html(file) -> str:
    """A .docx as paragraphs of escaped HTML, through textcheck's capped reader; a broken or oversized file
    is refused in Chinese."""
    if file is None:
        raise ValidationError({"docx": "请选择要导入的 Word（.docx）文件"})
    try:
        text, _links = read_docx(file)
    except DocxProblem as problem:
        raise ValidationError({"docx": str(problem)}) from problem
    # A damaged, encrypted or oddly compressed part surfaces as zlib, runtime or not-implemented errors.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, KeyError, OSError, EOFError,
            zlib.error, RuntimeError, NotImplementedError) as error:
        raise ValidationError({"docx": "无法读取该文件，请确认是有效的 Word（.docx）文件"}) from error
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


@transaction.atomic
def draft_withdraw(*, draft: Draft, by: User) -> Draft:
    """The author withdraws a draft that has not been published. An emergency release whose full review is
    pending stays: it was released on the shortened chain, and the full review must still be completed
    (art. 13)."""
    if draft.author_id != by.pk:
        raise PermissionDenied("只有撰稿人可以撤回稿件")
    if draft.state in (DraftState.PUBLISHED, DraftState.WITHDRAWN):
        raise RuleViolation(f"稿件{draft.get_state_display()}，不能撤回")
    if in_full_review(draft):
        raise RuleViolation(f"该稿件已紧急发布，须在{draft.full_review_due}前完成补审，不能撤回（第十三条）")
    if not audited_update(draft, where={"revision": draft.revision}, state=DraftState.WITHDRAWN,
                          revision=draft.revision + 1, updated_at=clock.now()):
        raise Conflict("该稿件已被他人处理，请刷新后查看")
    return draft
