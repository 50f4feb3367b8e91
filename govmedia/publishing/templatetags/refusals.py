"""The 403 page's reason: a refusal's own message when it is one of ours (Chinese, for the user), never an
English framework message."""

import re

from django import template

register = template.Library()

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@register.filter
def refusal_reason(exception) -> str:
    text = str(exception or "").strip()
    return text if CHINESE.search(text) else ""
