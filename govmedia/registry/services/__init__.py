"""Writes on the registry: applications to open, change, close and cancel accounts (art. 6, 7),
their approval chain, filings and closure notices. Every transition is a LifecycleEvent row.

Callers import from here (`from govmedia.registry import services`); the modules split the work:
access        who may act: the approval chain, a user's remit, the approver of the current step
applications  submitting applications and validating their values
decisions     approving, rejecting, resubmitting and withdrawing; carrying out an approved application
notices       closure notices and their taking effect
filings       filings with the province
events        the LifecycleEvent rows every transition writes
"""

from govmedia.registry.services.access import APPROVER_ROLES, approval_chain, can_approve, may_act_on
from govmedia.registry.services.applications import (
    change_application_submit,
    closure_application_submit,
    open_application_submit,
)
from govmedia.registry.services.decisions import (
    application_approve,
    application_reject,
    application_resubmit,
    application_withdraw,
    may_withdraw,
)
from govmedia.registry.services.filings import (
    FILING_WORKING_DAYS,
    LEGACY_FILING_WORKING_DAYS,
    create_filing,
    filing_record,
    legacy_filing_for,
    legacy_filing_start,
    new_filing,
)
from govmedia.registry.services.notices import NOTICE_WORKING_DAYS, closures_take_effect

__all__ = [
    "APPROVER_ROLES",
    "FILING_WORKING_DAYS",
    "LEGACY_FILING_WORKING_DAYS",
    "NOTICE_WORKING_DAYS",
    "application_approve",
    "application_reject",
    "application_resubmit",
    "application_withdraw",
    "approval_chain",
    "can_approve",
    "change_application_submit",
    "closure_application_submit",
    "closures_take_effect",
    "create_filing",
    "filing_record",
    "legacy_filing_for",
    "legacy_filing_start",
    "new_filing",
    "may_act_on",
    "may_withdraw",
    "open_application_submit",
]
