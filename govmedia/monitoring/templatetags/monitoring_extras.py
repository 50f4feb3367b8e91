from django import template

from govmedia.monitoring.engine.codes import SEVERITY_LABEL
from govmedia.monitoring.engine.netguard import is_web_url
from govmedia.monitoring.services.triage import state_label

register = template.Library()
register.filter("state_label", state_label)


@register.filter
def severity_label(severity: str) -> str:
    return SEVERITY_LABEL.get(severity, severity)


@register.filter
def http_url(url) -> str:
    """The URL if it is http(s), else "": a post's link came from outside and a javascript: one would run when
    clicked, so only web addresses become links."""
    url = str(url or "").strip()
    return url if is_web_url(url) else ""
