from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from govmedia.errors import Conflict
from govmedia.registry.models import AccountStatus


def report_domain_error(request, error: Exception, form=None) -> None:
    """Show a refused action to the user: on the form's fields when it names them, else as a message."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict") and form is not None:
        for field_name, errors in error.message_dict.items():
            target = field_name if field_name in form.fields else None
            for message in errors:
                form.add_error(target, message)
        return
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    elif isinstance(error, (PermissionDenied, Conflict)):
        messages.error(request, str(error) or "无权执行该操作")
    else:
        raise error


def paginate(request, queryset, per_page=50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def redirect_to_next(request, fallback: str, *args):
    """Back to the page the form came from (`next`), if it is on this site; else to `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback, *args)


# Ids are database integers: a longer string of digits cannot name a row and would overflow the column.
_MAX_ID_DIGITS = 18


def filter_id(params, name: str) -> int | None:
    """An id from a list filter, or None for anything that is not one."""
    value = params.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) <= _MAX_ID_DIGITS else None


def registry_filters(params) -> dict:
    """The registry list's GET filters (unit, platform, status, overdue, q), with junk values dropped."""
    def number(name):
        return filter_id(params, name)

    status = params.get("status", "")
    return {
        "unit": number("unit"),
        "platform": number("platform"),
        "status": status if status in AccountStatus.values else None,
        "overdue": params.get("overdue", "") in ("1", "on", "true"),
        "q": params.get("q", "").strip()[:100],
    }
