"""The push API over HTTP: token in, JSON in, counts or Chinese errors out. Rules live in `payload` and the
services; this module only speaks HTTP."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from govmedia import clock
from govmedia.audit.context import Actor, acting_as
from govmedia.audit.middleware import client_ip, record_refusal
from govmedia.monitoring.api import payload, throttle
from govmedia.monitoring.api.schema import OPENAPI
from govmedia.monitoring.models import SourceKind
from govmedia.monitoring.services.received import store_received
from govmedia.monitoring.services.tokens import token_authenticate


def _answer(status: int, body: dict, **headers) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


def _refuse(status: int, message: str, **headers) -> JsonResponse:
    return _answer(status, {"message": message}, **headers)


def _bearer(request) -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


# Token auth, no session and no cookie: a cross-site form cannot carry the token, so CSRF does not apply.
@csrf_exempt
def push_posts(request):
    if request.method != "POST":
        return _refuse(405, f"推送接口只接受 POST 请求（收到 {request.method[:10]}）", Allow="POST")
    now = clock.now()
    token = token_authenticate(_bearer(request), now=now)
    if token is None:
        record_refusal(request, "推送令牌缺失、无效或已吊销", status=401)
        return _refuse(401, "缺少推送令牌，或令牌无效、已吊销。请在请求头中提供 Authorization: Bearer <令牌>",
                       WWW_Authenticate='Bearer realm="govmedia", error="invalid_token"')
    wait = throttle.seconds_to_wait(token.pk, now=now)
    if wait:
        return _refuse(429, f"请求过于频繁：每个令牌每分钟至多 {throttle.REQUESTS_PER_MINUTE} 次，"
                            f"请 {wait} 秒后再试", Retry_After=str(wait))
    if request.content_type != "application/json":
        return _refuse(415, f"请求体须为 JSON（Content-Type: application/json），收到“{request.content_type[:50]}”")
    limit = payload.MAX_BODY_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    # The declared length is checked first so a huge body is never read; what is read is capped all the same.
    if declared > limit or len(raw := request.read(limit + 1)) > limit:
        return _refuse(413, f"请求体超过 {limit / 1024 / 1024:g}MB，请分批推送（每批至多 {payload.MAX_BATCH} 条）")
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return _bad_json(f"JSON 格式错误，位于第 {exc.lineno} 行第 {exc.colno} 列")
    except UnicodeDecodeError:
        return _bad_json("请求体须为 UTF-8 编码的 JSON")
    except (ValueError, RecursionError):  # NaN/Infinity, a number of thousands of digits, nesting too deep
        return _bad_json("JSON 中含有无法接受的值（NaN、Infinity、超长数字或嵌套过深）")
    batch = payload.parse_batch(body)
    if batch.errors:
        return _answer(400, {"message": f"发现 {len(batch.errors)} 个问题，未写入任何信息",
                             "errors": [e.as_dict() for e in batch.errors]})
    actor = Actor(user_id=None, label=f"推送令牌 {token.prefix}…", ip_address=client_ip(request), channel="api")
    with acting_as(actor):
        received = store_received(account=token.account, kind=SourceKind.PUSH, posts=batch.posts,
                                  deleted_ids=batch.deleted_ids, now=now)
    return _answer(201 if received.created else 200, {"created": received.created, "updated": received.updated,
                                                     "unchanged": received.unchanged})


def _refuse_constant(name: str):
    raise ValueError(name)


def _bad_json(message: str) -> JsonResponse:
    return _answer(400, {"message": "请求体不是有效的 JSON，未写入任何信息",
                         "errors": [{"index": None, "field": "", "value": "", "message": message}]})


@require_GET
def openapi_schema(request):
    return _answer(200, OPENAPI)
