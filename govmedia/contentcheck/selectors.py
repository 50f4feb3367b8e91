from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from govmedia.contentcheck.models import ContentCheck
from govmedia.orgs.models import User
from govmedia.orgs.permissions import acts_only_on_assigned_accounts
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.registry.selectors import accounts_visible_to


def checks_visible_to(user: User) -> QuerySet[ContentCheck]:
    """Everyone sees the checks they made and the checks on accounts they see. Beyond that, unit staff see
    their remit's checks; an operator (often a contractor's) sees nothing else of the host unit's work."""
    qs = ContentCheck.objects.select_related("checked_by", "checked_by__person", "unit", "account")
    ids = unit_ids_managed_by(user)
    if ids is None:
        return qs
    mine = Q(checked_by=user) | Q(account__in=accounts_visible_to(user).values("pk"))
    if acts_only_on_assigned_accounts(user):
        return qs.filter(mine)
    return qs.filter(mine | Q(unit_id__in=ids))


def highlighted_text(run: ContentCheck) -> SafeString:
    """The checked text, escaped, with each finding wrapped in <mark> (overlaps folded into the first)."""
    text, parts, pos = run.text, [], 0
    for f in run.findings.order_by("start", "-end"):
        if f.start < pos:
            continue
        parts.append(escape(text[pos:f.start]))
        title = escape(f"{f.explanation}" + (f"（建议：{f.suggestion}）" if f.suggestion else ""))
        parts.append(f'<mark class="finding sev-{escape(f.severity)}" title="{title}">{escape(text[f.start:f.end])}</mark>')
        pos = f.end
    parts.append(escape(text[pos:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))
