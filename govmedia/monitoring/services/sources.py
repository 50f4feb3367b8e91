"""An account's sources, kept by the unit that hosts it (issue 7): add, edit, disable, delete.

Health, validators and the lease are the reading cycle's; an edit writes only the fields a person keeps, so
it never overwrites what a worker recorded at the same moment. A source whose address or kind changes is a
new source to read: its health starts over and it is due at once.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from govmedia import clock
from govmedia.monitoring.models import POLLED_KINDS, Source, SourceHealth, SourceKind
from govmedia.orgs.models import User
from govmedia.orgs.permissions import may_edit_account_sources

# Fields a person keeps; the rest is the reading cycle's record.
EDITABLE_FIELDS = ("kind", "url", "is_active", "interval_minutes")
# Reset when the source is a new one to read (another address or kind).
HEALTH_RESET = {"health": SourceHealth.UNKNOWN, "health_reason": "", "health_detail": "", "broken_since": None,
                "consecutive_failures": 0, "etag": "", "last_modified": ""}
MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES = 5, 7 * 24 * 60
_url_validator = URLValidator(schemes=["http", "https"])


def _require_may_edit(by: User, account) -> None:
    if not may_edit_account_sources(by, account):
        raise PermissionDenied(f"无权修改账号“{account.name}”的数据源：数据源由账号的主办单位维护")


def check_http_url(url: str, *, field: str, what: str, max_length: int = 1000) -> str:
    """An address people type in: http or https, a host, no login in it. Returns it stripped; "" stays ""."""
    url = (url or "").strip()
    if not url:
        return ""
    shown = url if len(url) <= 80 else url[:80] + "…"
    if len(url) > max_length:
        raise ValidationError({field: [f"{what}“{shown}”过长：不能超过 {max_length} 个字符。"]})
    try:
        _url_validator(url)
    except ValidationError:
        raise ValidationError({field: [f"{what}“{shown}”无效：只接受 http:// 或 https:// 开头的完整网址。"]}) from None
    if urlsplit(url).username is not None:
        raise ValidationError({field: [f"{what}“{shown}”含有用户名或密码，请勿把登录凭据写入地址。"]})
    return url


def check_source(*, source: Source, by: User) -> None:
    """What source_save would refuse, without saving (the back office shows it on the form)."""
    _require_may_edit(by, source.account)
    if source.pk:
        stored = Source.objects.select_related("account").filter(pk=source.pk).first()
        if stored is not None and stored.account_id != source.account_id:
            raise ValidationError({"account": ["数据源不能改挂到其他账号，请在该账号下新增。"]})
    if source.kind not in SourceKind.values:
        raise ValidationError({"kind": [f"数据源类型“{str(source.kind)[:20]}”不存在。"]})
    if source.kind in POLLED_KINDS:
        source.url = check_http_url(source.url, field="url", what="地址")
        if not source.url:
            raise ValidationError({"url": ["订阅源和网站类数据源须填写地址。"]})
        interval = source.interval_minutes
        if interval is not None and not MIN_INTERVAL_MINUTES <= interval <= MAX_INTERVAL_MINUTES:
            raise ValidationError({"interval_minutes": [
                f"读取间隔 {interval} 分钟超出范围：应在 {MIN_INTERVAL_MINUTES} 至 {MAX_INTERVAL_MINUTES} 分钟之间，"
                "留空则按平台默认间隔。"]})
    else:
        if (source.url or "").strip():
            raise ValidationError({"url": [f"{source.get_kind_display()}类数据源不填写地址。"]})
        if source.interval_minutes is not None:
            raise ValidationError({"interval_minutes": [f"{source.get_kind_display()}类数据源由对方推送或导入，不按间隔读取。"]})
        source.url = ""
    twin = Source.objects.filter(account_id=source.account_id, kind=source.kind, url=source.url).exclude(pk=source.pk)
    if twin.exists():
        what = f"地址“{source.url[:80]}”" if source.url else source.get_kind_display()
        raise ValidationError({"url" if source.url else "kind": [f"账号“{source.account.name}”已有{what}的数据源。"]})


@transaction.atomic
def source_save(*, source: Source, by: User, now: datetime | None = None) -> Source:
    """Add a source, or save a person's edit of one."""
    check_source(source=source, by=by)
    now = now or clock.now()
    if source.pk is None:
        for name, value in HEALTH_RESET.items():
            setattr(source, name, value)
        source.next_due_at = now
        _save(source)
        return source
    stored = Source.objects.select_for_update().get(pk=source.pk)
    fields = list(EDITABLE_FIELDS)
    moved = (stored.kind, stored.url) != (source.kind, source.url)
    if moved:
        for name, value in HEALTH_RESET.items():
            setattr(source, name, value)
        fields += HEALTH_RESET
    if source.kind in POLLED_KINDS and source.is_active and (moved or not stored.is_active):
        source.next_due_at = now
        fields.append("next_due_at")
    _save(source, update_fields=fields)
    return source


def _save(source: Source, **kwargs) -> None:
    # Two people adding the same address at once: the unique constraint decides, the loser is told why.
    try:
        with transaction.atomic():
            source.save(**kwargs)
    except IntegrityError:
        raise ValidationError({"url": [f"账号“{source.account.name}”已有相同的数据源。"]}) from None


def source_set_active(*, source: Source, by: User, active: bool, now: datetime | None = None) -> Source:
    """Disable a source (it is no longer read, its posts stay) or enable it again (read at the next cycle)."""
    source.is_active = active
    return source_save(source=source, by=by, now=now)


@transaction.atomic
def source_delete(*, source: Source, by: User) -> None:
    """Delete a source. The posts read from it stay with the account."""
    _require_may_edit(by, source.account)
    source.delete()
