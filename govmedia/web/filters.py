"""GET filters of list pages, parsed in one place.

A filter value comes from a URL anyone can edit. A value that is not valid (an id too large for the
database, a status that does not exist, a NUL byte PostgreSQL refuses) is dropped, the user is told in
Chinese which one, and the page answers with the remaining filters: never a 500.
"""

from django import forms
from django.contrib import messages

# Primary keys are 64-bit (BigAutoField); a larger number overflows SQLite's INTEGER and PostgreSQL's bigint.
MAX_ID = 2**63 - 1
SHOWN_VALUE_CHARS = 30


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=MAX_ID, **kwargs)


class ListFilters(forms.Form):
    """Base of a list page's filter form; `ListFilters.parse(request)` gives the cleaned values."""

    @classmethod
    def parse(cls, request) -> dict:
        form = cls(request.GET)
        form.is_valid()
        values = {}
        for name, field in form.fields.items():
            if name in form.errors:
                shown = request.GET.get(name, "")
                if len(shown) > SHOWN_VALUE_CHARS:
                    shown = shown[:SHOWN_VALUE_CHARS] + "…"
                messages.warning(request, f"筛选条件“{field.label}”的值“{shown}”无效，已忽略："
                                          f"{form.errors[name][0]}")
                values[name] = field.to_python("")  # as if the filter were left empty
            else:
                values[name] = form.cleaned_data[name]
        return values
