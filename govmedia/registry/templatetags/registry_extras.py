from django import template

from govmedia.registry import fields
from govmedia.registry.models import AccountStatus, ApplicationState

register = template.Library()
_STATE_LABELS = {**dict(ApplicationState.choices), **dict(AccountStatus.choices)}


@register.filter
def state_label(value: str) -> str:
    return _STATE_LABELS.get(value, value)


@register.filter
def field_label(name: str) -> str:
    try:
        return fields.field_label(name)
    except Exception:
        return name


@register.simple_tag
def field_value(name, value) -> str:
    try:
        return fields.display_value(name, value)
    except Exception:
        return str(value)
