"""Which account fields an application may set, and how their values travel as JSON."""

from datetime import date

from django.db import IntegrityError, models

from govmedia.errors import Conflict
from govmedia.registry.models import Account, ColumnMenu, TeamMember

# Attachment-1 fields a unit fills in or changes through an application.
APPLICATION_FIELDS = [
    "account_id", "name", "platform", "registrant_kind", "registered_on", "is_verified", "has_news_licence",
    "competent_unit", "host_unit", "host_leader_name", "host_leader_title", "host_leader_contact",
    "operating_unit", "operating_leader_name", "operating_leader_title", "operating_leader_contact",
    "introduction", "access_url", "live_on", "responsible_person",
    "host_opinion_signer", "host_opinion_on", "competent_opinion_signer", "competent_opinion_on",
]
# Changes to these must be filed again within 7 working days (attachment 1, note 2).
FILING_RELEVANT_FIELDS = {"account_id", "name", "operating_unit", "responsible_person", "team"}
COLUMN_KEYS = ["name", "level1", "level2", "level3", "remark"]
TEAM_KEYS = ["name", "unit_and_title", "office_phone", "mobile"]


def to_json(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def field_label(name: str) -> str:
    if name == "columns":
        return "栏目设置"
    if name == "team":
        return "管理队伍"
    return str(Account._meta.get_field(name).verbose_name)


def display_value(name: str, value) -> str:
    """A human-readable form of a stored JSON value of a single field (columns and team are lists, shown
    as tables by registry.history)."""
    if value in (None, ""):
        return "（空）"
    field = Account._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else f"#{value}"
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def field_values(account: Account) -> dict:
    """The application fields of `account` as JSON values, as held in memory (no columns, no team)."""
    return {name: to_json(getattr(account, name)) for name in APPLICATION_FIELDS}


def current_values(account: Account) -> dict:
    values = field_values(account)
    values["columns"] = [{k: getattr(c, k) for k in COLUMN_KEYS} for c in account.columns.all()]
    values["team"] = [{k: getattr(m, k) for k in TEAM_KEYS} for m in account.team.all()]
    return values


def apply_values(account: Account, values: dict) -> None:
    """Set account fields from JSON values; columns and team are replaced as a whole. Saves."""
    for name, value in values.items():
        if name in ("columns", "team"):
            continue
        field = Account._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            setattr(account, field.attname, value)
        elif isinstance(field, models.DateField) and isinstance(value, str) and value:
            setattr(account, name, date.fromisoformat(value))
        else:
            setattr(account, name, value if value is not None or field.null else "")
    account.full_clean(exclude=["qr_code"])
    try:
        account.save()
    except IntegrityError as error:
        # full_clean found the id free, but an application submitted at the same moment took it since.
        # No query here: on PostgreSQL the transaction is aborted until the atomic block ends.
        raise Conflict(f"该平台上的账号ID“{account.account_id}”刚刚被另一份同时提交的申请登记，请刷新后查看。") from error
    if "columns" in values:
        account.columns.all().delete()
        # One create per row (not bulk_create) so every row passes through auditing.
        for i, row in enumerate(values["columns"]):
            ColumnMenu.objects.create(account=account, position=i, **{k: row.get(k, "") for k in COLUMN_KEYS})
    if "team" in values:
        account.team.all().delete()
        for row in values["team"]:
            TeamMember.objects.create(account=account, **{k: row.get(k, "") for k in TEAM_KEYS})


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
