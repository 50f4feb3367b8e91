"""The drafts API's request bodies and query strings, checked field by field (web.api.Fields) before any
service runs. The limits are the services' own; the OpenAPI schema (publishing.api.schema) is built from
these same names and numbers, which a test holds to each other."""

from dataclasses import dataclass, field

from django.db.models import Q

from govmedia.orgs.models import Unit
from govmedia.publishing.models import DraftState, Grade, Origin
from govmedia.publishing.services.drafts import BODY_HTML_MAX, TITLE_MAX
from govmedia.registry.models import Account
from govmedia.web.api import Fields, query

SOURCE_NAME_MAX = 200
EMERGENCY_REASON_MAX = 500
MAX_ACCOUNTS = 50
UNIT_NAME_MAX = Unit._meta.get_field("name").max_length

CREATE_FIELDS = ("unit", "title", "body_html", "accounts", "origin", "source_name", "grade")
CREATE_REQUIRED = ("unit", "title", "body_html")
EDIT_FIELDS = ("title", "body_html", "accounts", "origin", "source_name", "grade")
SUBMIT_FIELDS = ("emergency_reason",)
LIST_PARAMETERS = ("state", "page")


@dataclass
class DraftInput:
    """What a body asked for; None where a field was absent."""

    unit: Unit | None = None
    title: str | None = None
    body_html: str | None = None
    accounts: list[Account] | None = None
    origin: str | None = None
    source_name: str | None = None
    grade: str | None = None
    given: set[str] = field(default_factory=set)


def _common(fields: Fields, *, required: bool) -> DraftInput:
    return DraftInput(
        title=fields.string("title", limit=TITLE_MAX, label="标题", required=required),
        body_html=fields.string("body_html", limit=BODY_HTML_MAX, label="正文 HTML", required=required),
        accounts=_accounts(fields),
        origin=fields.choice("origin", Origin, label="来源"),
        source_name=fields.string("source_name", limit=SOURCE_NAME_MAX, label="转载来源"),
        grade=fields.choice("grade", Grade, label="标定等级"),
        given={name for name in fields.values if fields.values[name] is not None},
    )


def parse_create(body: dict) -> DraftInput:
    fields = Fields(body, CREATE_FIELDS)
    unit = _unit(fields)
    wanted = _common(fields, required=True)
    wanted.unit = unit
    fields.done()
    return wanted


def parse_edit(body: dict) -> DraftInput:
    fields = Fields(body, EDIT_FIELDS)
    wanted = _common(fields, required=False)
    if not wanted.given:
        fields.error("", "{}", f"请求体未包含要修改的字段（可修改：{'、'.join(EDIT_FIELDS)}）")
    fields.done()
    return wanted


def parse_submit(body: dict) -> str:
    fields = Fields(body, SUBMIT_FIELDS)
    reason = fields.string("emergency_reason", limit=EMERGENCY_REASON_MAX, label="紧急发布事由")
    fields.done()
    return reason or ""


def parse_list(request) -> tuple[Fields, str | None]:
    fields = query(request, LIST_PARAMETERS)
    return fields, fields.choice("state", DraftState, label="状态")


def _unit(fields: Fields) -> Unit | None:
    """A unit by its ID, or by its full or short name."""
    value = fields.values.get("unit")
    if isinstance(value, str):
        name = fields.string("unit", limit=UNIT_NAME_MAX, label="单位", required=True)
        if name is None:
            return None
        units = list(Unit.objects.filter(Q(name=name) | Q(short_name=name))[:2])
        if len(units) != 1:
            fields.error("unit", name, "找不到该单位" if not units else "该简称对应多个单位，请用单位 ID 或全称")
            return None
        return units[0]
    pk = fields.integer("unit", label="单位（ID 或名称）", required=True)
    if pk is None:
        return None
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        fields.error("unit", pk, "找不到该单位")
    return unit


def _accounts(fields: Fields) -> list[Account] | None:
    ids = fields.ids("accounts", limit=MAX_ACCOUNTS, label="发布账号")
    if ids is None:
        return None
    found = Account.objects.in_bulk(ids)
    missing = set(ids) - set(found)
    for position, item in enumerate(fields.values["accounts"]):
        if item in missing:
            fields.error(f"accounts[{position}]", item, "找不到该账号")
            missing.discard(item)
    return [found[pk] for pk in ids if pk in found]
