from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator

from govmedia.audit.middleware import record_refusal
from govmedia.errors import Conflict


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
        if isinstance(error, PermissionDenied):
            record_refusal(request, str(error))
        messages.error(request, str(error) or "无权执行该操作")
    else:
        raise error


def paginate(request, queryset, per_page=50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
