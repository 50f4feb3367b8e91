"""The unit picker of the list filters (registry, filings): a text box that names a unit of the user's remit.

The picker sends the unit's id (`unit`) with its name (`unit_name`); unit_picker.js offers suggestions from
`unit_search`. Without JavaScript it is a plain text box, so the typed name decides."""

from govmedia.orgs.models import Unit
from govmedia.orgs.selectors import account_owning_units_matching, account_owning_units_visible_to

UNIT_SUGGESTIONS = 20


def unit_filter(request, filters: dict) -> dict:
    """Resolve the picker into `filters["unit"]`; answer the template's context: the text shown, and when
    the text fits several units, those units as links (name, query string) for the user to choose from."""
    text, choices = _resolve(request, filters)
    return {
        "unit_name": text,
        "unit_not_found": bool(text) and not filters["unit"] and not choices,
        "unit_choices": [(u.name, query_with(request.GET, unit=str(u.pk), unit_name=u.name, page=None))
                         for u in choices],
    }


def _resolve(request, filters: dict) -> tuple[str, list[Unit]]:
    """A name that fits a single unit, or names one exactly, selects it. A link with `unit` alone (a
    bookmark, a choice offered) keeps working too."""
    picked = None
    if filters["unit"]:
        picked = account_owning_units_visible_to(request.user).select_related(None).filter(pk=filters["unit"]).first()
    if "unit_name" not in request.GET:
        return (picked.name if picked else ""), []
    text = request.GET["unit_name"].strip()[:100]
    if picked is not None and text == picked.name:
        return text, []
    filters["unit"] = None
    if not text:
        return "", []
    matches = account_owning_units_matching(request.user, text, UNIT_SUGGESTIONS)
    if len(matches) == 1 or (matches and text in (matches[0].name, matches[0].short_name)):
        filters["unit"] = matches[0].pk
        return matches[0].name, []
    return text, matches


def query_with(params, **changes) -> str:
    """`params` as a query string, with `changes` set (None removes a key)."""
    params = params.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()
