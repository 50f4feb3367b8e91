"""The push API described as OpenAPI 3.1, built from the limits `payload` enforces so the two cannot drift.

Served at /monitoring/api/v1/openapi.json; tests validate it with openapi-spec-validator and send its
example request to the endpoint.
"""

from govmedia.monitoring.api import payload as p
from govmedia.monitoring.api import throttle

EXAMPLE_POST = {
    "id": "2247483650_1",
    "url": "https://mp.weixin.qq.com/s/Xihaian2026030201",
    "title": "西海岸新区召开安全生产工作会议",
    "published": "2026-03-02T09:30:00+08:00",
    "text": "3月2日，新区召开安全生产工作会议，部署近期重点工作。",
    "html": "<p>3月2日，新区召开安全生产工作会议，部署近期重点工作。</p>",
    "kind": "original",
    "repost_source": "",
    "links": ["https://www.xihaian.gov.cn/zwgk/tzgg/"],
    "media_count": 2,
    "reads": 1520,
    "likes": 36,
    "comments": 4,
    "shares": 12,
    "deleted": False,
}
EXAMPLE_REPOST = {
    "id": "2247483651_1",
    "title": "转发：全国两会新闻中心启用",
    "published": None,
    "kind": "repost",
    "repost_source": "新华社",
}


def _count(description: str) -> dict:
    return {"type": ["integer", "null"], "minimum": 0, "maximum": p.MAX_COUNT, "description": description}


POST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id"],
    "properties": {
        "id": {"type": ["string", "integer"], "minLength": 1, "maxLength": p.MAX_ID_CHARS,
               "description": "平台上的信息ID（幂等键：同一账号重复推送同一ID只更新，不重复）。Platform post id; "
                              "re-sending the same id updates the post."},
        "url": {"type": ["string", "null"], "maxLength": p.MAX_URL_CHARS, "description": "信息链接（http/https）"},
        "title": {"type": ["string", "null"], "maxLength": p.MAX_TITLE_CHARS, "description": "标题"},
        "published": {"type": ["string", "null"], "format": "date-time",
                      "description": "发布时间，ISO 8601 且须带时区；null 或省略表示未知（不会记为推送时间）。"
                                     "Publish time with a time zone; null means unknown."},
        "text": {"type": ["string", "null"], "maxLength": p.MAX_TEXT_CHARS,
                 "description": "正文纯文本；省略时由 html 提取"},
        "html": {"type": ["string", "null"], "maxLength": p.MAX_HTML_CHARS,
                 "description": "正文 HTML；入库前净化（脚本、事件属性等被删除）。Sanitized on ingest."},
        "kind": {"type": ["string", "null"], "enum": [*p.KINDS, None], "default": "original",
                 "description": "original 原创 / repost 转载"},
        "repost_source": {"type": ["string", "null"], "maxLength": p.MAX_REPOST_SOURCE_CHARS,
                          "description": "转载来源（转载时应注明，须在许可转载来源名单内）"},
        "links": {"type": ["array", "null"], "maxItems": p.MAX_LINKS,
                  "items": {"type": "string", "maxLength": p.MAX_LINK_CHARS, "format": "uri"},
                  "description": "正文中的链接（http/https），用于链接检查"},
        "media_count": _count("图片、视频数"),
        "reads": _count("阅读量（未知时省略或 null）"),
        "likes": _count("点赞量"),
        "comments": _count("评论量"),
        "shares": _count("转发量"),
        "deleted": {"type": ["boolean", "null"], "default": False, "description": "该信息已在平台上删除"},
    },
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": {"type": "string", "description": "中文说明"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "field", "value", "message"],
                "properties": {
                    "index": {"type": ["integer", "null"], "description": "出错信息在 posts 中的序号（从 0 起）；"
                                                                         "null 表示整个请求体"},
                    "field": {"type": "string"},
                    "value": {"type": "string", "description": "出错的值（过长时截断）"},
                    "message": {"type": "string", "description": "中文错误说明"},
                },
            },
        },
    },
}

COUNTS_SCHEMA = {
    "type": "object",
    "required": ["created", "updated", "unchanged"],
    "properties": {
        "created": {"type": "integer", "minimum": 0, "description": "新增的信息数"},
        "updated": {"type": "integer", "minimum": 0, "description": "已有且有变化（如阅读量）的信息数"},
        "unchanged": {"type": "integer", "minimum": 0, "description": "已有且无变化的信息数"},
    },
}


def _error(description: str, headers: dict | None = None) -> dict:
    response = {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if headers:
        response["headers"] = headers
    return response


OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "govmedia 推送接口 / Push API",
        "version": "1.0.0",
        "description": (
            "账号的运维系统在发布信息后推送到监管平台。令牌在“账号 → 监测 → 推送令牌”页签发，只显示一次，"
            "只对签发它的账号有效，可随时吊销。整批校验：任何一条有错，整批不写入，逐条返回错误。\n\n"
            "An operator's system reports what an account published. A token belongs to one account, is "
            "shown once and can be revoked. A batch is all-or-nothing: any invalid item rejects the batch, "
            "with one error per problem."
        ),
    },
    "servers": [{"url": "/monitoring/api/v1"}],
    "security": [{"bearerToken": []}],
    "paths": {
        "/posts": {
            "post": {
                "operationId": "pushPosts",
                "summary": "推送已发布的信息 / Report published posts",
                "description": (f"一条信息对象，或 {{\"posts\": [...]}}（至多 {p.MAX_BATCH} 条）；请求体不超过 "
                                f"{p.MAX_BODY_BYTES // 1024 // 1024}MB；每个令牌每分钟至多 "
                                f"{throttle.REQUESTS_PER_MINUTE} 次请求。"),
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {
                        "schema": {"oneOf": [
                            {"$ref": "#/components/schemas/Post"},
                            {"$ref": "#/components/schemas/Batch"},
                        ]},
                        "examples": {
                            "batch": {"summary": "批量推送", "value": {"posts": [EXAMPLE_POST, EXAMPLE_REPOST]}},
                            "single": {"summary": "推送一条", "value": EXAMPLE_POST},
                        },
                    }},
                },
                "responses": {
                    "201": {"description": "至少新增了一条信息",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Counts"}}}},
                    "200": {"description": "没有新增，只更新或无变化（重复推送）",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Counts"}}}},
                    "400": _error("请求体有误，整批未写入；errors 逐条列出问题"),
                    "401": _error("缺少令牌、令牌无效或已吊销",
                                  {"WWW-Authenticate": {"schema": {"type": "string"}}}),
                    "405": _error("只接受 POST", {"Allow": {"schema": {"type": "string"}}}),
                    "413": _error("请求体过大"),
                    "415": _error("请求体须为 application/json"),
                    "429": _error("请求过于频繁", {"Retry-After": {"schema": {"type": "integer"},
                                                          "description": "多少秒后可以再试"}}),
                },
            },
        },
    },
    "components": {
        "securitySchemes": {
            "bearerToken": {"type": "http", "scheme": "bearer",
                            "description": "Authorization: Bearer gm_…（在账号的推送令牌页签发）"},
        },
        "schemas": {
            "Post": POST_SCHEMA,
            "Batch": {"type": "object", "additionalProperties": False, "required": ["posts"],
                      "properties": {"posts": {"type": "array", "minItems": 1, "maxItems": p.MAX_BATCH,
                                               "items": {"$ref": "#/components/schemas/Post"}}}},
            "Counts": COUNTS_SCHEMA,
            "Error": ERROR_SCHEMA,
        },
    },
}
