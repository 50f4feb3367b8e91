"""The messages API's request bodies and query strings, checked field by field (web.api.Fields) before any
service runs. The limits are the model's and the services'; the OpenAPI schema (interaction.api.schema) is
built from these same names and numbers, which a test holds to each other."""

from dataclasses import dataclass
from datetime import datetime

from govmedia.interaction.models import TEXT_MAX, Message, MessageKind, MessageStatus
from govmedia.registry.models import Account
from govmedia.web.api import Fields, query

SENDER_NAME_MAX = Message._meta.get_field("sender_name").max_length
SENDER_CONTACT_MAX = Message._meta.get_field("sender_contact").max_length
PLATFORM_MESSAGE_ID_MAX = Message._meta.get_field("platform_message_id").max_length

CREATE_FIELDS = ("account", "kind", "text", "received_at", "sender_name", "sender_contact", "platform_message_id")
CREATE_REQUIRED = ("account", "kind", "text")
REPLY_FIELDS = ("text", "submit")
LIST_PARAMETERS = ("status", "account", "overdue", "page")


@dataclass
class MessageInput:
    account: Account | None
    kind: str | None
    text: str | None
    received_at: datetime | None
    sender_name: str
    sender_contact: str
    platform_message_id: str


def parse_create(body: dict) -> MessageInput:
    fields = Fields(body, CREATE_FIELDS)
    account = None
    pk = fields.integer("account", label="账号 ID", required=True)
    if pk is not None:
        account = Account.objects.filter(pk=pk).first()
        if account is None:
            fields.error("account", pk, "找不到该账号")
    kind = fields.choice("kind", MessageKind, label="留言类型")
    if kind is None and not fields.given("kind"):
        fields.error("kind", None, "缺少留言类型（kind，必填）")
    wanted = MessageInput(
        account=account, kind=kind,
        text=fields.string("text", limit=TEXT_MAX, label="留言内容", required=True),
        received_at=fields.moment("received_at", label="收到时间"),
        sender_name=fields.string("sender_name", limit=SENDER_NAME_MAX, label="留言人") or "",
        sender_contact=fields.string("sender_contact", limit=SENDER_CONTACT_MAX, label="联系方式") or "",
        platform_message_id=fields.string("platform_message_id", limit=PLATFORM_MESSAGE_ID_MAX,
                                          label="平台留言编号") or "",
    )
    fields.done()
    return wanted


def parse_reply(body: dict) -> tuple[str | None, bool]:
    """(text or None, submit)."""
    fields = Fields(body, REPLY_FIELDS)
    text = fields.string("text", limit=TEXT_MAX, label="答复内容")
    submit = fields.boolean("submit", label="是否提交审核") or False
    if not text and not submit and not fields.errors:
        fields.error("text", body.get("text"), "缺少答复内容（text）；只提交已有的答复草稿时请传 \"submit\": true")
    fields.done()
    return text or None, submit


@dataclass
class MessageFilter:
    status: str | None
    account: int | None
    overdue: bool | None


def parse_list(request) -> tuple[Fields, MessageFilter]:
    fields = query(request, LIST_PARAMETERS)
    return fields, MessageFilter(status=fields.choice("status", MessageStatus, label="状态"),
                                 account=fields.integer("account", label="账号 ID"),
                                 overdue=fields.boolean("overdue", label="是否逾期"))
