"""What the review engine tells the apps whose items it reviews (a reply's message keeps its own history).

`draft_decided(sender=Draft, draft, by, decision, comment, at)`: a draft's review round ended, approved
(`decision` = Decision.APPROVE, the draft now approved) or returned to its author (Decision.REJECT). Sent inside
the deciding transaction, so what a receiver writes stands or falls with the decision."""

from django.dispatch import Signal

draft_decided = Signal()
