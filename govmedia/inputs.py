"""A check every free-text input shares: nobody types control characters, and PostgreSQL's text columns
refuse NUL outright, so one reaching the database would be a 500 instead of an answer naming the field.
Django's form fields refuse NUL themselves; this is for values that arrive without a form (imports, the
public survey page, hand-parsed rows)."""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and line breaks are text


def control_character_error(value: str, what: str) -> str | None:
    """A Chinese error naming the first control character in `value`, or None when there is none."""
    found = _CONTROL.search(value or "")
    return f"{what}含有不可见的控制字符（U+{ord(found.group()):04X}），请删除后重试。" if found else None
