"""The drafts endpoints in OpenAPI 3.1, built from the limits `payload` enforces (assembled with the rest in
web.api_schema)."""

from govmedia.publishing.api import payload as p
from govmedia.publishing.models import DraftKind, DraftState, Grade, Origin, StepMode, StepState
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

EXAMPLE_CREATE = {
    "unit": "区教育和体育局",
    "title": "区教育和体育局召开秋季开学工作会议",
    "body_html": "<p>8月28日，区教育和体育局召开秋季开学工作会议，部署校园安全工作。</p>",
    "accounts": [],
    "origin": "original",
    "grade": "routine",
}
EXAMPLE_REPOST = {
    "unit": "区教育和体育局",
    "title": "转发：教育部部署秋季学期校园安全工作",
    "body_html": "<p>教育部近日印发通知，部署秋季学期校园安全工作。</p>",
    "origin": "repost",
    "source_name": "新华社",
}
EXAMPLE_EDIT = {"title": "区教育和体育局召开2026年秋季开学工作会议",
                "body_html": "<p>8月28日，区教育和体育局召开2026年秋季开学工作会议，部署校园安全工作。</p>"}
EXAMPLE_SUBMIT = {}
EXAMPLE_EMERGENCY = {"emergency_reason": "台风预警，需立即发布停课通知"}


def _nullable_string(limit: int, description: str) -> dict:
    return {"type": ["string", "null"], "maxLength": limit, "description": description}


def _enum(choices, description: str) -> dict:
    return {"type": ["string", "null"], "enum": [*choices.values, None],
            "description": description + "：" + "，".join(f"{v} {label}" for v, label in choices.choices)}


def _draft_fields() -> dict:
    return {
        "title": {"type": ["string", "null"], "minLength": 1, "maxLength": p.TITLE_MAX, "description": "标题"},
        "body_html": {"type": ["string", "null"], "minLength": 1, "maxLength": p.BODY_HTML_MAX,
                      "description": "正文 HTML；保存前净化（脚本、事件属性等被删除）"},
        "accounts": {"type": ["array", "null"], "maxItems": p.MAX_ACCOUNTS,
                     "items": {"type": "integer", "minimum": 1},
                     "description": "发布账号的 ID（须为本单位、本人负责的账号）；提交审核前至少一个"},
        "origin": _enum(Origin, "来源"),
        "source_name": _nullable_string(p.SOURCE_NAME_MAX, "转载来源（转载时必填，须在许可转载来源名单内）"),
        "grade": _enum(Grade, "标定等级（检查发现敏感话题时至少为 sensitive）"),
    }


DRAFT_CREATE = {
    "type": "object", "additionalProperties": False, "required": list(p.CREATE_REQUIRED),
    "properties": {
        "unit": {"type": ["integer", "string"], "minimum": 1, "minLength": 1, "maxLength": p.UNIT_NAME_MAX,
                 "description": "所属单位：单位 ID，或单位全称、简称"},
        **_draft_fields(),
    },
}
DRAFT_EDIT = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": _draft_fields()}
DRAFT_SUBMIT = {
    "type": "object", "additionalProperties": False,
    "properties": {"emergency_reason": _nullable_string(
        p.EMERGENCY_REASON_MAX, "紧急发布事由（第十三条）：填写则走紧急发布的简化流程，事后须完成完整审核")},
}

_TIME = {"type": ["string", "null"], "format": "date-time"}
DRAFT_SUMMARY = {
    "type": "object",
    "required": ["id", "kind", "unit", "author", "title", "state", "state_label", "grade", "marked_grade", "origin",
                 "created_at", "updated_at", "submitted_at"],
    "properties": {
        "id": {"type": "integer"}, "kind": {"enum": DraftKind.values}, "unit": ref("Named"), "author": ref("Named"),
        "title": {"type": "string"}, "state": {"enum": DraftState.values}, "state_label": {"type": "string"},
        "grade": {"enum": Grade.values}, "marked_grade": {"enum": Grade.values}, "origin": {"enum": Origin.values},
        "created_at": _TIME, "updated_at": _TIME, "submitted_at": _TIME,
    },
}
FINDING = {
    "type": "object",
    "required": ["category", "severity", "start", "end", "text", "suggestion", "explanation", "serious", "accepted"],
    "properties": {
        "category": {"type": "string"}, "severity": {"type": "string"},
        "start": {"type": "integer", "minimum": 0, "description": "在 findings_text 中的起始位置（字符）"},
        "end": {"type": "integer", "minimum": 0}, "text": {"type": "string"},
        "suggestion": {"type": "string", "description": "修改建议"}, "explanation": {"type": "string"},
        "serious": {"type": "boolean", "description": "严重问题：审核通过前须修改，或由审核人说明理由后保留"},
        "accepted": {"type": "boolean", "description": "审核人已说明理由保留"},
    },
}
STEP = {
    "type": "object", "required": ["round", "order", "label", "role", "mode", "state", "decided_at", "decisions"],
    "properties": {
        "round": {"type": "integer"}, "order": {"type": "integer"}, "label": {"type": "string"},
        "role": {"type": "string"}, "mode": {"enum": StepMode.values}, "state": {"enum": StepState.values},
        "decided_at": _TIME,
        "decisions": {"type": "array", "items": {
            "type": "object", "required": ["reviewer", "decision", "comment", "version", "at"],
            "properties": {"reviewer": ref("Named"), "decision": {"enum": ["approve", "reject"]},
                           "comment": {"type": "string"}, "version": {"type": "integer"}, "at": _TIME}}},
    },
}
DRAFT = {
    "allOf": [ref("DraftSummary"), {
        "type": "object",
        "required": ["body_html", "body_text", "source_name", "accounts", "round", "emergency", "emergency_reason",
                     "full_review_due", "approved_at", "published_url", "published_at", "current_version",
                     "findings_text", "findings", "pending_step", "steps"],
        "properties": {
            "body_html": {"type": "string"}, "body_text": {"type": "string"}, "source_name": {"type": "string"},
            "accounts": {"type": "array", "items": ref("Named")}, "round": {"type": "integer"},
            "emergency": {"type": "boolean"}, "emergency_reason": {"type": "string"},
            "full_review_due": {"type": ["string", "null"], "format": "date"}, "approved_at": _TIME,
            "published_url": {"type": "string"}, "published_at": _TIME,
            "current_version": {"type": ["object", "null"], "required": ["number", "title", "created_at", "created_by"],
                                "properties": {"number": {"type": "integer"}, "title": {"type": "string"},
                                               "created_at": _TIME, "created_by": ref("Named")}},
            "findings_text": {"type": "string", "description": "检查的文本：第一行为标题，其后为正文纯文本"},
            "findings": {"type": "array", "items": ref("Finding")},
            "pending_step": {"type": ["string", "null"], "description": "待审核的步骤"},
            "steps": {"type": "array", "items": ref("ReviewStep")},
        },
    }],
}

SCHEMAS = {"DraftCreate": DRAFT_CREATE, "DraftEdit": DRAFT_EDIT, "DraftSubmit": DRAFT_SUBMIT,
           "DraftSummary": DRAFT_SUMMARY, "Draft": DRAFT, "Finding": FINDING, "ReviewStep": STEP,
           "DraftPage": page("DraftSummary")}

PATHS = {
    "/drafts": {
        "get": {
            "operationId": "listDrafts", "summary": "我能看到的稿件 / Drafts in my remit",
            "parameters": [query_parameter("state", "按状态筛选", {"enum": DraftState.values}), PAGE_PARAMETER],
            "responses": {"200": ok("一页稿件，按修改时间倒序", ref("DraftPage")), **refusals(400)},
        },
        "post": {
            "operationId": "createDraft", "summary": "撰写稿件 / Write a draft",
            "requestBody": body("DraftCreate", {"original": {"summary": "原创稿件", "value": EXAMPLE_CREATE},
                                                "repost": {"summary": "转载稿件", "value": EXAMPLE_REPOST}}),
            "responses": {"201": ok("已保存为草稿（第 1 版，已检查）", ref("Draft")),
                          **refusals(400, 403, 413, 415)},
        },
    },
    "/drafts/{id}": {
        "parameters": [ID_PARAMETER],
        "get": {
            "operationId": "getDraft", "summary": "稿件详情：当前版本、检查发现（位置与建议）、审核步骤",
            "responses": {"200": ok("稿件", ref("Draft")), **refusals(404)},
        },
        "patch": {
            "operationId": "editDraft", "summary": "修改草稿或退回的稿件（撰稿人本人）；提交过的稿件每次修改产生新版本",
            "requestBody": body("DraftEdit", {"edit": {"summary": "修改标题和正文", "value": EXAMPLE_EDIT}}),
            "responses": {"200": ok("修改后的稿件", ref("Draft")), **refusals(400, 403, 404, 409, 413, 415)},
        },
    },
    "/drafts/{id}/submit": {
        "parameters": [ID_PARAMETER],
        "post": {
            "operationId": "submitDraft", "summary": "提交审核（撰稿人本人）；审核等级决定审核流程",
            "requestBody": body("DraftSubmit", {"routine": {"summary": "按审核等级提交", "value": EXAMPLE_SUBMIT},
                                                "emergency": {"summary": "紧急发布", "value": EXAMPLE_EMERGENCY}},
                                required=False),
            "responses": {"200": ok("已提交，进入审核", ref("Draft")), **refusals(400, 403, 404, 409, 413, 415)},
        },
    },
}
