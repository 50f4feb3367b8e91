"""我的待办 on the dashboard: what waits for this user in review-before-publish and public interaction,
counted with the same selectors the pages list them with, so a count never disagrees with its page."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from govmedia.interaction.selectors import default_message_filters, messages_for_list, overdue_messages
from govmedia.orgs.models import Role, User
from govmedia.orgs.permissions import may_see_review_overview
from govmedia.publishing.models import Draft, DraftKind, DraftState
from govmedia.publishing.selectors import emergency_reviews_overdue, pending_step, review_queue


@dataclass(frozen=True)
class Worklist:
    drafts_to_finish: int  # the user's own drafts not yet submitted, or returned to them (replies included)
    to_review: int
    to_sign: int  # of to_review, the unit head's sign-offs
    messages_waiting: int  # not yet answered, as 待答复留言 lists them by default (default_message_filters)
    messages_overdue: int
    reviews_overdue: int | None  # emergency releases past their full-review date; None: not the user's to watch

    @property
    def is_empty(self) -> bool:
        return not any((self.drafts_to_finish, self.to_review, self.messages_waiting, self.reviews_overdue))


def worklist(user: User, today: date) -> Worklist:
    queue = list(review_queue(user))
    waiting = messages_for_list(user, **default_message_filters(user), kind="", account=None, overdue=False,
                                today=today)
    return Worklist(
        drafts_to_finish=Draft.objects.filter(
            Q(kind=DraftKind.POST, state__in=(DraftState.DRAFT, DraftState.REJECTED))
            | Q(kind=DraftKind.REPLY, state=DraftState.REJECTED), author=user).count(),
        to_review=len(queue),
        to_sign=sum(1 for draft in queue if pending_step(draft).role == Role.LEADER),
        messages_waiting=waiting.count(),
        messages_overdue=len(overdue_messages(waiting, today)),
        reviews_overdue=(emergency_reviews_overdue(user, today=today).count()
                         if may_see_review_overview(user) else None),
    )
