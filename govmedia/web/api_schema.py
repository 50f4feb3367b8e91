"""The drafts-and-messages API described as OpenAPI 3.1: the shared parts here, each module's paths and
schemas in publishing.api.schema and interaction.api.schema, all built from the limits their payload modules
enforce, so the description and the checks cannot drift (tests/api/test_schema.py holds them together).

Served at /api/v1/openapi.json without a token: it describes, it grants nothing.
"""

from django.views.decorators.http import require_GET

from govmedia.interaction.api import schema as interaction
from govmedia.publishing.api import schema as publishing
from govmedia.web import api
from govmedia.web.api_common_schema import COMPONENTS as COMMON_COMPONENTS

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "govmedia 稿件与留言接口 / Drafts and messages API",
        "version": "1.0.0",
        "description": (
            "单位自己的采编系统用本接口撰写、修改、提交稿件（送审核），录入公众留言，起草并提交答复。令牌在"
            "“接口令牌”页（/api/v1/tokens/）由用户本人签发，只显示一次；令牌代表该用户，权限与其登录平台时相同，"
            "用户停用或令牌吊销后即失效。每次写入以该用户名义记入审计日志。错误一律以中文逐项说明字段和值："
            "{\"message\": …, \"errors\": [{\"field\", \"value\", \"message\"}]}。"
            f"请求体不超过 {api.MAX_BODY_BYTES // 1024 // 1024}MB；每个令牌每分钟至多 {api.REQUESTS_PER_MINUTE} 次请求；"
            f"列表每页 {api.PAGE_SIZE} 条。\n\n"
            "A unit's own editorial system writes, edits and submits drafts for review, enters messages from the "
            "public and drafts and submits replies. A personal token acts as its user, with exactly their rights."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerToken": []}],
    "paths": {**publishing.PATHS, **interaction.PATHS},
    "components": {
        "securitySchemes": {
            "bearerToken": {"type": "http", "scheme": "bearer",
                            "description": "Authorization: Bearer gmu_…（在“接口令牌”页签发）"},
        },
        "schemas": {**COMMON_COMPONENTS, **publishing.SCHEMAS, **interaction.SCHEMAS},
    },
}


@require_GET
def openapi_schema(request):
    return api.answer(200, OPENAPI)
