"""The JSON API for drafts and messages (/api/v1/, issue 9): a user's personal token in, JSON in, JSON or
Chinese errors out. Built like the push API (monitoring.api), whose value display and per-token throttle
it shares; the endpoints (publishing.api, interaction.api) only parse, call a service or selector, answer.

- Authentication is `Authorization: Bearer gmu_…` (orgs.api_tokens) and nothing else: a session cookie
  opens nothing here, so a cross-site form (which cannot set the header) can do nothing, and the views
  are CSRF-exempt only in that sense. The token acts as its user with exactly the user's rights.
- Every write runs as the token's user: the audit log names them, on channel "api".
- Every error answer is {"message": "…", "errors": [{"field", "value", "message"}, …]} in Chinese:
  400 bad input, 401 no valid token, 403 not allowed, 404 not found or not visible, 405, 409 someone
  acted first, 413 body too large, 415 not JSON, 429 too many requests. Never a 500 for bad input.
"""

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from govmedia import clock
from govmedia.audit.context import Actor, acting_as
from govmedia.audit.middleware import client_ip, record_refusal
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.monitoring.api import throttle
from govmedia.monitoring.api.payload import shown
from govmedia.orgs.api_tokens import api_token_authenticate
from govmedia.web.middleware import BUSY_MESSAGE, is_write_conflict

# A draft's body may be 500,000 characters; written as \uXXXX escapes that is 3 MB of JSON.
MAX_BODY_BYTES = 4 * 1024 * 1024
PAGE_SIZE = 50
REQUESTS_PER_MINUTE = throttle.REQUESTS_PER_MINUTE
THROTTLE_BUCKET = "api-rate"
# Services name some fields by their model's name; the API by its own.
_SERVICE_FIELDS = {"marked_grade": "grade", "__all__": ""}


@dataclass(frozen=True)
class FieldError:
    field: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "value": self.value, "message": self.message}


class ApiError(Exception):
    """An answer other than success, raised anywhere below a view and answered by `endpoint`."""

    def __init__(self, status: int, message: str, errors: list[FieldError] | None = None, **headers):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers
        self.errors = errors or [FieldError("", "", message)]


def answer(status: int, body: dict, **headers) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


def error_answer(error: ApiError) -> JsonResponse:
    return answer(error.status, {"message": error.message, "errors": [e.as_dict() for e in error.errors]},
                  **error.headers)


def bearer(request) -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def endpoint(*methods: str):
    """A view of the API: `view(request, user, *args)` runs as the token's user, its errors answered in JSON."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return error_answer(ApiError(405, f"该地址只接受 {' 或 '.join(methods)} 请求（收到 "
                                                  f"{request.method[:10]}）", Allow=", ".join(methods)))
            now = clock.now()
            token = api_token_authenticate(bearer(request), now=now)
            if token is None:
                record_refusal(request, "接口令牌缺失、无效或已吊销", status=401)
                return error_answer(ApiError(
                    401, "缺少接口令牌，或令牌无效、已吊销、其用户已停用。请在请求头中提供 Authorization: Bearer <令牌>",
                    WWW_Authenticate='Bearer realm="govmedia", error="invalid_token"'))
            wait = throttle.seconds_to_wait(token.pk, now=now, bucket=THROTTLE_BUCKET)
            if wait:
                return error_answer(ApiError(429, f"请求过于频繁：每个令牌每分钟至多 {REQUESTS_PER_MINUTE} 次，"
                                                  f"请 {wait} 秒后再试", Retry_After=str(wait)))
            user = token.user
            actor = Actor(user_id=user.pk, label=user.get_username(), ip_address=client_ip(request), channel="api")
            with acting_as(actor):
                try:
                    return view(request, user, *args, **kwargs)
                except (ApiError, Http404, PermissionDenied, ValidationError, Conflict, OperationalError) as exc:
                    return _refusal(request, exc)

        return wrapper

    return decorate


def _refusal(request, exc: Exception) -> JsonResponse:
    if isinstance(exc, ApiError):
        return error_answer(exc)
    if isinstance(exc, Http404):
        record_refusal(request, "对象不存在或无权操作", status=404)
        return error_answer(ApiError(404, "对象不存在，或您无权查看"))
    if isinstance(exc, PermissionDenied):
        record_refusal(request, str(exc), status=403)
        return error_answer(ApiError(403, str(exc) or "无权执行该操作"))
    if isinstance(exc, ValidationError):
        errors = validation_errors(exc, getattr(request, "api_body", {}))
        summary = errors[0].message if len(errors) == 1 else f"发现 {len(errors)} 个问题，未写入任何内容"
        return error_answer(ApiError(400, summary, errors))
    if isinstance(exc, Conflict):
        return error_answer(ApiError(409, str(exc) or BUSY_MESSAGE))
    if is_write_conflict(exc):
        return error_answer(ApiError(409, BUSY_MESSAGE))
    raise exc


def validation_errors(error: ValidationError, body: dict) -> list[FieldError]:
    """A service's ValidationError as field errors, each repeating the value the request sent."""
    if not hasattr(error, "error_dict"):
        return [FieldError("", "", message) for message in error.messages]
    found = []
    for name, messages in error.message_dict.items():
        field = _SERVICE_FIELDS.get(name, name)
        value = shown(body[field]) if field in body else ""
        found.extend(FieldError(field, value, message) for message in messages)
    return found


def json_body(request, *, optional: bool = False) -> dict:
    """The request's JSON object (kept on the request, so service errors can repeat its values). An empty
    body is {} when `optional`."""
    declared = request.headers.get("Content-Length") or "0"
    if optional and declared == "0":  # e.g. curl -X POST with no body, whatever it declares
        request.api_body = {}
        return request.api_body
    if request.content_type != "application/json":
        raise ApiError(415, f"请求体须为 JSON（Content-Type: application/json），收到“{request.content_type[:50]}”")
    try:
        declared = int(declared)
    except ValueError:
        declared = 0
    # The declared length is checked first so a huge body is never read; what is read is capped all the same.
    if declared > MAX_BODY_BYTES or len(raw := request.read(MAX_BODY_BYTES + 1)) > MAX_BODY_BYTES:
        raise ApiError(413, f"请求体超过 {MAX_BODY_BYTES // 1024 // 1024}MB，未写入任何内容")
    body = {} if optional and not raw.strip() else _decode(raw)
    if not isinstance(body, dict):
        raise ApiError(400, "请求体应为 JSON 对象", [FieldError("", shown(body), "请求体应为 JSON 对象（{...}）")])
    request.api_body = body
    return body


def _decode(raw: bytes):
    def refuse(message: str):
        return ApiError(400, "请求体不是有效的 JSON，未写入任何内容", [FieldError("", "", message)])

    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise refuse(f"JSON 格式错误，位于第 {exc.lineno} 行第 {exc.colno} 列") from None
    except UnicodeDecodeError:
        raise refuse("请求体须为 UTF-8 编码的 JSON") from None
    except (ValueError, RecursionError):  # NaN/Infinity, a number of thousands of digits, nesting too deep
        raise refuse("JSON 中含有无法接受的值（NaN、Infinity、超长数字或嵌套过深）") from None


def _refuse_constant(name: str):
    raise ValueError(name)


class Fields:
    """One JSON object's (or query string's) fields, checked one by one. Every problem is kept as a FieldError
    naming the field and the value; `done()` refuses them all at once (400) before anything is written."""

    def __init__(self, values: dict, known, *, what: str = "字段", from_query: bool = False):
        # A query string's values are all strings; a JSON body's numbers must be numbers.
        self.values, self.errors, self.from_query = values, [], from_query
        for name in values:
            if name not in known:
                self.error(name, values[name], f"未知{what}“{shown(name)}”，可用的有：{'、'.join(known)}")

    def error(self, name: str, value, message: str) -> None:
        self.errors.append(FieldError(name, shown(value), message))

    def given(self, name: str) -> bool:
        return self.values.get(name) is not None

    def string(self, name: str, *, limit: int, label: str, required: bool = False) -> str | None:
        """The stripped string, or None when absent (an error if required)."""
        value = self.values.get(name)
        if value is None:
            if required:
                self.error(name, value, f"缺少{label}（{name}，必填）")
            return None
        if not isinstance(value, str):
            self.error(name, value, f"{label}（{name}）应为字符串")
            return None
        if "\x00" in value:
            self.error(name, value, f"{label}（{name}）含有无效字符（NUL）")
            return None
        value = value.strip()
        if len(value) > limit:
            self.error(name, value, f"{label}（{name}）不能超过 {limit:,} 个字符（现为 {len(value):,} 个）")
            return None
        if required and not value:
            self.error(name, value, f"{label}（{name}）不能为空")
            return None
        return value

    def choice(self, name: str, choices, *, label: str) -> str | None:
        """One of a TextChoices' values, or None when absent."""
        value = self.values.get(name)
        if value is None:
            return None
        if value not in choices.values:
            options = "、".join(f"{v}（{lab}）" for v, lab in choices.choices)
            self.error(name, value, f"{label}（{name}）只能是：{options}")
            return None
        return value

    def integer(self, name: str, *, label: str, required: bool = False, minimum: int = 1) -> int | None:
        value = self.values.get(name)
        if value is None:
            if required:
                self.error(name, value, f"缺少{label}（{name}，必填）")
            return None
        number = _as_int(value) if self.from_query or not isinstance(value, str) else None
        if number is None or number < minimum or number > MAX_ID:
            self.error(name, value, f"{label}（{name}）应为不小于 {minimum} 的整数")
            return None
        return number

    def ids(self, name: str, *, limit: int, label: str) -> list[int] | None:
        """A list of distinct positive ids, or None when absent."""
        value = self.values.get(name)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(name, value, f"{label}（{name}）应为 ID 的数组")
            return None
        if len(value) > limit:
            self.error(name, f"{len(value)} 个", f"{label}（{name}）至多 {limit} 个")
            return None
        ids = []
        for position, item in enumerate(value):
            number = _as_int(item) if not isinstance(item, str) else None
            if number is None or not 1 <= number <= MAX_ID:
                self.error(f"{name}[{position}]", item, f"{label}的 ID 应为正整数")
            elif number not in ids:
                ids.append(number)
        return ids

    def boolean(self, name: str, *, label: str) -> bool | None:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return value
        if self.from_query and value in ("true", "false"):
            return value == "true"
        self.error(name, value, f"{label}（{name}）应为 true 或 false")
        return None

    def moment(self, name: str, *, label: str, required: bool = False) -> datetime | None:
        """An ISO 8601 date-time with its time zone."""
        value = self.string(name, limit=40, label=label, required=required)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                moment.astimezone(UTC)  # 9999-12-31T23:59-14:00 is past year 9999 in UTC
        except (ValueError, OverflowError):
            self.error(name, value, f"{label}（{name}）不是有效的 ISO 8601 时间（如 2026-03-02T09:30:00+08:00）")
            return None
        if moment.tzinfo is None:
            self.error(name, value, f"{label}（{name}）须带时区（如 +08:00 或 Z）")
            return None
        return moment

    def done(self) -> None:
        if self.errors:
            raise ApiError(400, f"发现 {len(self.errors)} 个问题，未写入任何内容", self.errors)


MAX_ID = 2**63 - 1  # the database's id column; a larger number could match nothing and would overflow


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 20:
        return int(value.strip())
    return None


def query(request, known) -> Fields:
    """The query string as Fields (each parameter once; a repeated one counts as its last value)."""
    return Fields({key: request.GET.get(key) for key in request.GET}, known, what="查询参数", from_query=True)


def page_of(items, fields: Fields) -> dict:
    """{count, page, pages, results: [...]} for a queryset or list, page size PAGE_SIZE; `page` from the
    query (1 when absent). Call fields.done() after, so a bad page is reported with the other problems."""
    page = fields.integer("page", label="页码") or 1
    paginator = Paginator(items, PAGE_SIZE)
    if not fields.errors and page > paginator.num_pages:
        fields.error("page", page, f"页码超出范围（共 {paginator.num_pages} 页）")
    fields.done()
    current = paginator.page(page)
    return {"count": paginator.count, "page": page, "pages": paginator.num_pages, "results": list(current)}


def when(moment: datetime | None) -> str | None:
    """A time as the API writes it: ISO 8601 in Beijing time, with the offset."""
    return timezone.localtime(moment).isoformat() if moment else None
