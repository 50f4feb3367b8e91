from django.conf import settings
from django.core.exceptions import PermissionDenied

from govmedia.audit.context import acting_as, actor_for_user

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def client_ip(request) -> str | None:
    # The client is the first X-Forwarded-For hop only when the operator says a proxy sets it.
    if settings.GOVMEDIA_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def record_refusal(request, reason: str = "", status: int | None = None) -> None:
    """Audit a refused write attempt made by this request (views that answer with a message call it too)."""
    from govmedia.audit.services import audit_refusal

    if request.method in SAFE_METHODS or getattr(request, "_audit_refusal_recorded", False):
        return
    request._audit_refusal_recorded = True
    audit_refusal(method=request.method, path=request.path, reason=reason, status=status)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "admin" if request.path.startswith("/admin/") else "web"
        user = getattr(request, "user", None)
        with acting_as(actor_for_user(user, ip_address=client_ip(request), channel=channel)):
            response = self.get_response(request)
            if response.status_code == 403:
                # Every 403 to a write is a refused attempt: a view's or the admin's PermissionDenied, CSRF.
                record_refusal(request, getattr(request, "_audit_denied_reason", ""), status=403)
            elif response.status_code == 404:
                # Another unit's object answers 404 (indistinguishable from a missing one), but a write
                # aimed at it is an attempt all the same: record it, without saying which it was.
                record_refusal(request, "对象不存在或无权操作", status=404)
            return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            request._audit_denied_reason = str(exception)
