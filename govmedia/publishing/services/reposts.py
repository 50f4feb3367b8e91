"""Required reposts (art. 11): a task the district office issued (monitoring's RepostTask) becomes, for each
target unit, a draft prefilled with the notice, taken by someone who writes for that unit. The draft is then
reviewed like any repost: its source must be on the approved list (services.review)."""

import html

from django.db import transaction

from govmedia.errors import Conflict, PermissionDenied
from govmedia.monitoring.models import RepostTask
from govmedia.orgs.models import Unit, User
from govmedia.orgs.permissions import accounts_acted_for
from govmedia.publishing.models import Draft, DraftState, Origin
from govmedia.publishing.services.drafts import draft_create


def prefilled_body(task: RepostTask) -> str:
    title = html.escape(task.title)
    if task.notice_url:
        return f'<p>转载：<a href="{html.escape(task.notice_url)}">{title}</a></p>'
    return f"<p>转载：{title}</p>"


@transaction.atomic
def repost_task_draft(*, task: RepostTask, unit: Unit, by: User, source_name: str = "") -> Draft:
    """The unit's prefilled draft for the task, authored by `by`, targeting the task's accounts of the unit
    that `by` writes for. The source defaults to the issuing office; the author corrects it if the notice
    came from elsewhere. One live draft per task and unit."""
    accounts = list(accounts_acted_for(by).filter(host_unit=unit, pk__in=task.accounts.values("pk")))
    if not accounts:
        raise PermissionDenied("该转载任务没有您负责的本单位账号")
    Unit.objects.select_for_update().get(pk=unit.pk)  # one taker at a time per unit
    if Draft.objects.filter(repost_task=task, unit=unit).exclude(state=DraftState.WITHDRAWN).exists():
        raise Conflict("本单位已为该转载任务建立稿件，请在稿件列表中查看")
    issuer = task.issued_by.unit
    return draft_create(by=by, unit=unit, title=task.title, body_html=prefilled_body(task), accounts=accounts,
                        origin=Origin.REPOST, source_name=source_name or (issuer.name if issuer else "管委办公室"),
                        repost_task=task)
