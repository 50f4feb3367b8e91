"""The approved-source list (art. 11): the outlets reposts may come from. The district office keeps it.

A name or alias says which outlet a repost names, so each belongs to one outlet only. Names are compared as
reposts are matched (engine.approved.normalize_name: 新华社客户端 is 新华社), so two entries never claim the
same outlet under different spellings.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from govmedia.monitoring.engine.approved import normalize_name
from govmedia.monitoring.models import ApprovedSource, SourceLevel
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_edit_approved_sources

NAME_MAX = 100
# Aliases are typed one a line; commas and the enumeration comma are accepted too.
_ALIAS_SPLIT = re.compile(r"[\n,，、;；]+")


def _require_may_edit(by: User) -> None:
    if not may_edit_approved_sources(by):
        raise PermissionDenied("无权修改许可转载来源名单：名单由区级监管员维护")


def normalized_aliases(text: str, name: str) -> list[str]:
    """The aliases, stripped, each once, without the name itself."""
    seen: list[str] = []
    for alias in _ALIAS_SPLIT.split(text or ""):
        alias = alias.strip()
        if alias and alias != name and alias not in seen:
            seen.append(alias)
    return seen


def check_approved_source(*, source: ApprovedSource, by: User) -> None:
    """What approved_source_save would refuse, without saving. Normalizes the name and aliases in place."""
    _require_may_edit(by)
    source.name = (source.name or "").strip()
    if not source.name:
        raise ValidationError({"name": ["请填写来源名称。"]})
    if len(source.name) > NAME_MAX:
        raise ValidationError({"name": [f"来源名称不能超过 {NAME_MAX} 字（现为 {len(source.name)} 字）。"]})
    if source.level not in SourceLevel.values:
        raise ValidationError({"level": [f"级别“{str(source.level)[:20]}”不存在。"]})
    aliases = normalized_aliases(source.aliases, source.name)
    for alias in aliases:
        if len(alias) > NAME_MAX:
            raise ValidationError({"aliases": [f"别名“{alias[:30]}…”超过 {NAME_MAX} 字。"]})
    source.aliases = "\n".join(aliases)
    if not normalize_name(source.name):
        raise ValidationError({"name": [f"来源名称“{source.name}”去掉标点和“客户端”“官网”等后缀后为空。"]})
    mine = {normalize_name(n) for n in [source.name, *aliases]} - {""}
    for other in ApprovedSource.objects.exclude(pk=source.pk):
        taken = mine & {normalize_name(n) for n in other.names()}
        if taken:
            word = next(n for n in [source.name, *aliases] if normalize_name(n) in taken)
            field = "name" if word == source.name else "aliases"
            raise ValidationError({field: [f"“{word}”与许可转载来源“{other.name}”的名称或别名相同（忽略标点和后缀）。"]})


@transaction.atomic
def approved_source_save(*, source: ApprovedSource, by: User) -> ApprovedSource:
    """Add an outlet to the list or save an edit of one (deactivating keeps it listed, unapproved)."""
    check_approved_source(source=source, by=by)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        raise ValidationError({"name": [f"许可转载来源“{source.name}”已存在。"]}) from None
    return source


@transaction.atomic
def approved_source_delete(*, source: ApprovedSource, by: User) -> None:
    _require_may_edit(by)
    source.delete()
