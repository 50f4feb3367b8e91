from datetime import date

from django.conf import settings


def measures_effective_date() -> date:
    value = settings.MEASURES_EFFECTIVE_DATE
    return value if isinstance(value, date) else date.fromisoformat(value)
