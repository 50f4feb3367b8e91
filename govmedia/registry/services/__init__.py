"""Writes on the registry: applications to open, change, close and cancel accounts (art. 6, 7),
their approval chain, filings and closure notices. Every transition is a LifecycleEvent row.

Callers import from here (`from govmedia.registry import services`); the modules split the work:
access        who may act: the approval chain, a user's remit, the approver of the current step
accounts      upkeep without approval: the QR code image, follower counts, the district office's corrections
applications  submitting applications and validating their values
decisions     approving, rejecting, resubmitting and withdrawing; carrying out an approved application
notices       closure notices and their taking effect
notice_text   a notice's period, date of effect and public text
recompute     provisional deadlines and notice dates recomputed once the holiday calendar learns their year
filings       filings: submission with the stamped form, confirmation or return by the district office
reminders     reminders of filings due soon or overdue to unit admins (dashboard item and email)
events        the LifecycleEvent rows every transition writes
"""

from govmedia.registry.services.access import (
    APPROVER_ROLES,
    approval_chain,
    can_approve,
    may_act_on,
    may_confirm_filing,
    may_withdraw,
)
from govmedia.registry.services.accounts import (
    account_correct,
    account_qr_set,
    check_account_correction,
    follower_count_record,
)
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
)
from govmedia.registry.services.filings import (
    FILING_WORKING_DAYS,
    LEGACY_FILING_WORKING_DAYS,
    create_filing,
    filing_confirm,
    filing_record,
    filing_return,
    filing_submit,
    legacy_filing_for,
    legacy_filing_start,
    new_filing,
    open_missing_filings,
)
from govmedia.registry.services.notice_text import NOTICE_WORKING_DAYS
from govmedia.registry.services.notices import closures_take_effect
from govmedia.registry.services.recompute import recompute_provisional_dates
from govmedia.registry.services.reminders import send_filing_reminders

__all__ = [
    "APPROVER_ROLES",
    "FILING_WORKING_DAYS",
    "LEGACY_FILING_WORKING_DAYS",
    "NOTICE_WORKING_DAYS",
    "account_correct",
    "account_qr_set",
    "application_approve",
    "application_reject",
    "application_resubmit",
    "application_withdraw",
    "approval_chain",
    "can_approve",
    "change_application_submit",
    "check_account_correction",
    "closure_application_submit",
    "closures_take_effect",
    "create_filing",
    "filing_confirm",
    "filing_record",
    "filing_return",
    "filing_submit",
    "follower_count_record",
    "legacy_filing_for",
    "legacy_filing_start",
    "new_filing",
    "may_act_on",
    "may_confirm_filing",
    "may_withdraw",
    "open_application_submit",
    "open_missing_filings",
    "recompute_provisional_dates",
    "send_filing_reminders",
]
