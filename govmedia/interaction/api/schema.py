"""The messages endpoints in OpenAPI 3.1, built from the limits `payload` enforces (assembled with the rest in
web.api_schema)."""

from govmedia.interaction.api import payload as p
from govmedia.interaction.models import TEXT_MAX, MessageChannel, MessageKind, MessageStatus, ReplyState
from govmedia.publishing.models import DraftState
from govmedia.web.api_common_schema import (
    ID_PARAMETER,
    PAGE_PARAMETER,
    body,
    ok,
    page,
    query_parameter,
    ref,
    refusals,
)

# `account` is the ID of an account of the token user's unit (tests put their own account's ID in its place).
EXAMPLE_MESSAGE = {
    "account": 1,
    "kind": "consultation",
    "text": "请问今年小学一年级的招生范围有变化吗？",
    "received_at": "2026-03-02T09:30:00+08:00",
    "sender_name": "张先生",
    "sender_contact": "13900001111",
    "platform_message_id": "wb-20260302-0001",
}
EXAMPLE_REPLY = {"text": "您好，今年招生范围与去年相同，详见区教育和体育局网站招生公告。"}
EXAMPLE_REPLY_SUBMIT = {**EXAMPLE_REPLY, "submit": True}

_TIME = {"type": ["string", "null"], "format": "date-time"}


def _nullable_string(limit: int, description: str) -> dict:
    return {"type": ["string", "null"], "maxLength": limit, "description": description}


MESSAGE_CREATE = {
    "type": "object", "additionalProperties": False, "required": list(p.CREATE_REQUIRED),
    "properties": {
        "account": {"type": "integer", "minimum": 1, "description": "收到留言的账号 ID（须为本人负责的账号）"},
        "kind": {"enum": MessageKind.values,
                 "description": "类型：" + "，".join(f"{v} {label}" for v, label in MessageKind.choices)},
        "text": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX, "description": "留言内容"},
        "received_at": {**_TIME, "description": "收到时间，ISO 8601 且须带时区；省略则为录入时间"},
        "sender_name": _nullable_string(p.SENDER_NAME_MAX, "留言人"),
        "sender_contact": _nullable_string(p.SENDER_CONTACT_MAX, "联系方式（个人信息，仅本单位和监管员可见）"),
        "platform_message_id": _nullable_string(p.PLATFORM_MESSAGE_ID_MAX, "平台留言编号（同一账号不能重复录入）"),
    },
}
REPLY_BODY = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {
        "text": _nullable_string(TEXT_MAX, "答复内容：保存为答复草稿（已有草稿则改写）"),
        "submit": {"type": ["boolean", "null"], "description": "true：保存后提交答复送审核（与稿件同一审核流程）"},
    },
}
MESSAGE_SUMMARY = {
    "type": "object",
    "required": ["id", "account", "kind", "channel", "status", "status_label", "received_at", "text", "deadline",
                 "deadline_provisional", "overdue", "replied_at"],
    "properties": {
        "id": {"type": "integer"}, "account": ref("Named"), "kind": {"enum": MessageKind.values},
        "channel": {"enum": MessageChannel.values}, "status": {"enum": MessageStatus.values},
        "status_label": {"type": "string"}, "received_at": _TIME, "text": {"type": "string"},
        "deadline": {"type": "string", "format": "date", "description": "答复期限（按工作日计算）"},
        "deadline_provisional": {"type": "boolean", "description": "期限所在年份的工作日安排尚未公布，按常规推算"},
        "overdue": {"type": "boolean", "description": "已过期限仍未答复"}, "replied_at": _TIME,
    },
}
REPLY = {
    "type": ["object", "null"],
    "required": ["state", "state_label", "text", "author", "drafted_at", "draft_id", "draft_state", "released_at"],
    "properties": {
        "state": {"enum": ReplyState.values}, "state_label": {"type": "string"}, "text": {"type": "string"},
        "author": ref("Named"), "drafted_at": _TIME,
        "draft_id": {"type": "integer", "description": "答复在审核流程中的稿件 ID（/drafts/{id}，审核步骤与检查发现见此）"},
        "draft_state": {"enum": DraftState.values}, "released_at": _TIME,
    },
}
MESSAGE = {
    "allOf": [ref("MessageSummary"), {
        "type": "object",
        "required": ["platform_message_id", "sender_name", "sender_contact", "assignee", "follow_up_note",
                     "closed_reason", "reply"],
        "properties": {
            "platform_message_id": {"type": "string"}, "sender_name": {"type": "string"},
            "sender_contact": {"type": "string"}, "assignee": ref("Named"), "follow_up_note": {"type": "string"},
            "closed_reason": {"type": "string"}, "reply": ref("Reply"),
        },
    }],
}

SCHEMAS = {"MessageCreate": MESSAGE_CREATE, "ReplyBody": REPLY_BODY, "MessageSummary": MESSAGE_SUMMARY,
           "Message": MESSAGE, "Reply": REPLY, "MessagePage": page("MessageSummary")}

PATHS = {
    "/messages": {
        "get": {
            "operationId": "listMessages", "summary": "我负责的账号收到的留言 / Messages to my accounts",
            "parameters": [query_parameter("status", "按状态筛选", {"enum": MessageStatus.values}),
                           query_parameter("account", "按账号 ID 筛选", {"type": "integer", "minimum": 1}),
                           query_parameter("overdue", "true 只列逾期未答复的，false 只列未逾期的",
                                           {"type": "boolean"}),
                           PAGE_PARAMETER],
            "responses": {"200": ok("一页留言，按收到时间倒序", ref("MessagePage")), **refusals(400)},
        },
        "post": {
            "operationId": "createMessage", "summary": "录入留言（来源渠道记为“接口”）",
            "requestBody": body("MessageCreate", {"consultation": {"summary": "一条咨询", "value": EXAMPLE_MESSAGE}}),
            "responses": {"201": ok("已录入", ref("Message")), **refusals(400, 403, 409, 413, 415)},
        },
    },
    "/messages/{id}": {
        "parameters": [ID_PARAMETER],
        "get": {
            "operationId": "getMessage", "summary": "留言详情：答复期限、是否逾期、答复状态",
            "responses": {"200": ok("留言", ref("Message")), **refusals(404)},
        },
    },
    "/messages/{id}/reply": {
        "parameters": [ID_PARAMETER],
        "post": {
            "operationId": "replyToMessage", "summary": "起草或改写答复；submit 为 true 时提交审核",
            "requestBody": body("ReplyBody", {"draft": {"summary": "保存答复草稿", "value": EXAMPLE_REPLY},
                                              "submit": {"summary": "保存并提交审核", "value": EXAMPLE_REPLY_SUBMIT}}),
            "responses": {"200": ok("留言及其答复", ref("Message")), **refusals(400, 403, 404, 409, 413, 415)},
        },
    },
}
