"""What the message pages share: the scoped lookup of a message and the way a step's outcome is told."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.interaction.selectors import messages_visible_to
from govmedia.registry.views.common import report_domain_error

REFUSALS = (ValidationError, PermissionDenied, Conflict)


def message_for(request, pk):
    """The message if the user sees it; another unit's answers 404 as a missing one does."""
    return get_object_or_404(messages_visible_to(request.user), pk=pk)


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields and form.fields[field].label else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def act(request, action, success) -> bool:
    """Run `action()` and tell the user `success()`; or, when a service refuses (a bad value, no right,
    somebody else acting first), why: never a 500. A refused right is audited (report_domain_error)."""
    try:
        action()
    except REFUSALS as error:
        report_domain_error(request, error)
        return False
    messages.success(request, success())
    return True


def back(message):
    return redirect("interaction:message_detail", message.pk)


def form_step(request, pk, form, action, success):
    """A step posted with a form: the form's errors are told, else `action(message, cleaned_data)` is run and
    `success(message, cleaned_data)` told (act); back to the message either way."""
    message = message_for(request, pk)
    bound = form(request.POST, message)
    if not bound.is_valid():
        form_errors(request, bound)
    else:
        act(request, lambda: action(message, bound.cleaned_data), lambda: success(message, bound.cleaned_data))
    return back(message)
