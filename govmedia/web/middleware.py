"""Answers in Chinese instead of a 500: a write that lost a race (409); a query-string value no database accepts."""

from urllib.parse import unquote_to_bytes

from django.contrib import messages
from django.db import OperationalError
from django.http import QueryDict
from django.shortcuts import render

from govmedia.errors import Conflict
from govmedia.web.redirects import is_local_url

BUSY_MESSAGE = "数据正被他人同时修改，您的操作未能完成，也未保存任何内容。请刷新页面查看最新状态后重试。"
# PostgreSQL: serialization failure, deadlock detected, lock not available.
_POSTGRES_CONFLICT_STATES = frozenset({"40001", "40P01", "55P03"})


def is_write_conflict(error: BaseException) -> bool:
    """A database error that only says another transaction got there first (retrying may succeed)."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in _POSTGRES_CONFLICT_STATES:
        return True
    # SQLite gives up after its busy timeout with this message; it carries no error code.
    text = str(error)
    return "database is locked" in text or "database table is locked" in text


class ConflictMiddleware:
    """Services raise Conflict when somebody else acted first; the database may still refuse a write under
    contention. Either way the transaction was rolled back, so the user is told to reload and retry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Conflict):
            message = str(exception) or BUSY_MESSAGE
        elif is_write_conflict(exception):
            message = BUSY_MESSAGE
        else:
            return None
        back = request.META.get("HTTP_REFERER", "")
        if not is_local_url(request, back):
            back = "/"
        return render(request, "409.html", {"message": message, "back": back}, status=409)


class NulByteMiddleware:
    """PostgreSQL refuses text containing NUL, so a filter like ?status=a%00b on any list page (the back
    office's included) would reach the database and end in a 500. No valid parameter carries one: such
    parameters are dropped before any view runs, and the user is told, as for any other bad filter value.
    Form bodies need no check: Django's form fields reject NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            kept, dropped = QueryDict(mutable=True), []
            for key, values in request.GET.lists():
                clean = [] if "\x00" in key else [v for v in values if "\x00" not in v]
                if len(clean) < len(values):
                    dropped.append(key.replace("\x00", "")[:30])
                if clean:
                    kept.setlist(key, clean)
            kept._mutable = False
            request.GET = kept
            request.META["QUERY_STRING"] = kept.urlencode()
            messages.warning(request, f"筛选条件“{'、'.join(dropped)}”含有无效字符（NUL），已忽略。")
        return self.get_response(request)


OUT_OF_RANGE_MESSAGE = "筛选条件中的数值或日期超出范围，无法查询。请修改后重试。"


class OutOfRangeMiddleware:
    """A number or date in a URL that Python or the database cannot hold (the back office's date
    drill-down, ?at__year=99999999999999999999) raises OverflowError deep inside Django: answer it as the
    bad request it is, in Chinese, instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return render(request, "400.html", {"message": OUT_OF_RANGE_MESSAGE}, status=400)
        return None
