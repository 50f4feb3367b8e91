from django.conf import settings

from govmedia.audit.context import acting_as, actor_for_user


def client_ip(request) -> str | None:
    # The client is the first X-Forwarded-For hop only when the operator says a proxy sets it.
    if settings.GOVMEDIA_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "admin" if request.path.startswith("/admin/") else "web"
        user = getattr(request, "user", None)
        with acting_as(actor_for_user(user, ip_address=client_ip(request), channel=channel)):
            return self.get_response(request)
