from django import template

from govmedia.monitoring.filters import SEVERITY_CHOICES
from govmedia.monitoring.services.triage import state_label

register = template.Library()
register.filter("state_label", state_label)
SEVERITY_LABEL = dict(SEVERITY_CHOICES)


@register.filter
def severity_label(severity: str) -> str:
    return SEVERITY_LABEL.get(severity, severity)
