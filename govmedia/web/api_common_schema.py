"""OpenAPI pieces every endpoint of the drafts-and-messages API shares: the error shape, the answers other
than success, a page of a list, the ID-and-name pairs."""

from govmedia.web import api

ERROR = {
    "type": "object",
    "required": ["message", "errors"],
    "properties": {
        "message": {"type": "string", "description": "中文说明"},
        "errors": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "required": ["field", "value", "message"],
                "properties": {
                    "field": {"type": "string", "description": "出错的字段（如 title、accounts[0]）；空表示整个请求"},
                    "value": {"type": "string", "description": "出错的值（过长时截断）"},
                    "message": {"type": "string", "description": "中文错误说明"},
                },
            },
        },
    },
}

NAMED = {"type": ["object", "null"], "required": ["id", "name"],
         "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}

COMPONENTS = {"Error": ERROR, "Named": NAMED}

_JSON = "application/json"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def error(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {_JSON: {"schema": ref("Error")}}}
    if headers:
        response["headers"] = headers
    return response


def ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": {_JSON: {"schema": schema}}}


def page(item: str) -> dict:
    return {"type": "object", "required": ["count", "page", "pages", "results"],
            "properties": {"count": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
                           "pages": {"type": "integer", "minimum": 1},
                           "results": {"type": "array", "maxItems": api.PAGE_SIZE, "items": ref(item)}}}


def body(schema_name: str, examples: dict, *, required: bool = True) -> dict:
    return {"required": required, "content": {_JSON: {"schema": ref(schema_name), "examples": examples}}}


def refusals(*statuses: int) -> dict:
    """The error answers of an operation: always 401 and 429, and those named."""
    known = {
        400: error("请求有误，未写入任何内容；errors 逐项列出字段、值和问题"),
        401: error("缺少令牌、令牌无效或已吊销，或其用户已停用", {"WWW-Authenticate": {"schema": {"type": "string"}}}),
        403: error("令牌的用户无权执行该操作（如为其他单位撰稿、修改他人的稿件）"),
        404: error("对象不存在，或令牌的用户无权查看（其他单位的对象同样答 404）"),
        409: error("他人已先行处理该对象（如稿件已被审核），请刷新后重试"),
        413: error(f"请求体超过 {api.MAX_BODY_BYTES // 1024 // 1024}MB"),
        415: error("请求体须为 application/json"),
        429: error("请求过于频繁", {"Retry-After": {"schema": {"type": "integer"}, "description": "多少秒后可以再试"}}),
    }
    return {str(status): known[status] for status in sorted({401, 429, *statuses})}


def query_parameter(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PAGE_PARAMETER = query_parameter("page", "页码，从 1 起", {"type": "integer", "minimum": 1})
ID_PARAMETER = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
