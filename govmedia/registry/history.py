"""How an application reads on its page: what the applicant entered (before and after, for a change) and
its history as one line per decision.

The LifecycleEvent rows stay as they are (one per transition, of the application or of its account);
this module only reads them. An application's approval and the account's status change it causes are
two rows written at once; they read as one entry, the approval with its consequence.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from govmedia import clock
from govmedia.orgs.models import Unit
from govmedia.registry import fields as account_fields
from govmedia.registry.models import (
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    Filing,
    LifecycleEvent,
)
from govmedia.registry.services.filings import FILING_WORKING_DAYS

# Filled in by the approval chain itself, not by the applicant.
OPINION_FIELDS = {"host_opinion_signer", "host_opinion_on", "competent_opinion_signer", "competent_opinion_on"}
LIST_FIELDS = {"columns": account_fields.COLUMN_KEYS, "team": account_fields.TEAM_KEYS}
LIST_HEADERS = {"columns": ["名称", "一级菜单", "二级菜单", "三级菜单", "备注"],
                "team": ["姓名", "所在单位及职务", "办公电话", "手机号码"]}
Action = LifecycleEvent.Action


@dataclass
class ListRow:
    cells: list[str]
    mark: str = ""  # "added" or "removed" against the other side of a change


@dataclass
class FieldValue:
    """One field as entered; `before` is set for a change application (None when not recorded)."""

    name: str
    label: str
    after: str = ""
    before: str | None = None
    headers: list[str] = field(default_factory=list)  # for 栏目设置 and 管理队伍, shown as tables
    after_rows: list[ListRow] = field(default_factory=list)
    before_rows: list[ListRow] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return bool(self.headers)


@dataclass
class HistoryEntry:
    action: str
    actor: str
    at: datetime
    comment: str = ""
    outcomes: list[str] = field(default_factory=list)
    application: Application | None = None


def _rows(name: str, value) -> list[tuple[str, ...]]:
    return [tuple(str(row.get(key) or "") for key in LIST_FIELDS[name]) for row in value or []]


def _list_value(name: str, after, before=None, *, compare: bool = False) -> FieldValue:
    item = FieldValue(name, account_fields.field_label(name), headers=LIST_HEADERS[name])
    after_rows, before_rows = _rows(name, after), _rows(name, before)
    item.after_rows = [ListRow(list(r), "added" if compare and r not in before_rows else "") for r in after_rows]
    if compare:
        item.before_rows = [ListRow(list(r), "" if r in after_rows else "removed") for r in before_rows]
    return item


def _submitted_diff(application: Application) -> dict:
    """The before/after values recorded when the change was (re)submitted, latest first."""
    diffs = application.events.filter(action__in=[Action.SUBMIT, Action.RESUBMIT]).exclude(diff={}).order_by(
        "-at", "-pk").values_list("diff", flat=True)
    return next(iter(diffs), {})


def application_fields(application: Application) -> list[FieldValue]:
    """Every field the applicant entered, in the order of attachment 1; for a change, before and after."""
    if application.kind not in (ApplicationKind.OPEN, ApplicationKind.CHANGE):
        return []
    changes = application.changes
    names = [n for n in [*account_fields.APPLICATION_FIELDS, "columns", "team"] if n in changes
             and n not in OPINION_FIELDS]
    if application.kind == ApplicationKind.OPEN:
        return [_list_value(n, changes[n]) if n in LIST_FIELDS else
                FieldValue(n, account_fields.field_label(n), account_fields.display_value(n, changes[n]))
                for n in names]
    recorded = _submitted_diff(application)
    out = []
    for name in names:
        before = recorded[name][0] if name in recorded else None
        if name in LIST_FIELDS:
            out.append(_list_value(name, changes[name], before, compare=True))
        else:
            out.append(FieldValue(name, account_fields.field_label(name), account_fields.display_value(name, changes[name]),
                                  account_fields.display_value(name, before) if name in recorded else None))
    return out


def _is_application_event(event: LifecycleEvent) -> bool:
    """Whether the row records the application's own transition rather than its account's."""
    if event.action in (Action.SUBMIT, Action.RESUBMIT, Action.REJECT):
        return True
    if event.action == Action.APPROVE:
        return event.step is not None
    return event.action == Action.WITHDRAW and event.to_state == ApplicationState.WITHDRAWN


def _account_outcome(event: LifecycleEvent) -> str:
    """What an account-level row changed, in words; "" when it changed no state (a filing, say)."""
    if event.action == Action.APPLY_CHANGE:
        changed = "、".join(account_fields.field_label(name) for name in event.diff)
        return f"变更已生效：{changed}" if changed else "变更已生效"
    if event.action == Action.NOTICE:
        return "已发布关停公告"
    labels = dict(AccountStatus.choices)
    if event.to_state and event.from_state != event.to_state:
        before = f"{labels.get(event.from_state, event.from_state)} → " if event.from_state else ""
        return f"账号状态：{before}{labels.get(event.to_state, event.to_state)}"
    return ""


def _step_name(units: dict, application: Application, step: int | None) -> str:
    """"第 2 环节：管委办公室" for a step of the application's approval chain."""
    if step is None:
        return ""
    unit = units.get(application.steps[step]) if step < len(application.steps) else None
    return f"第 {step + 1} 环节" + (f"：{unit.name}" if unit else "")


def _decision_entry(event: LifecycleEvent, units: dict, actor: str) -> HistoryEntry:
    application = event.application
    entry = HistoryEntry(event.get_action_display(), actor, event.at, event.comment, application=application)
    if event.action == Action.APPROVE:
        entry.action = f"审批通过（{_step_name(units, application, event.step)}）"
        if event.to_state == ApplicationState.APPROVED:
            entry.outcomes.append("申请已批准")
        elif event.step + 1 < len(application.steps):
            entry.outcomes.append(f"转{_step_name(units, application, event.step + 1)}")
    elif event.action == Action.REJECT:
        if event.step is not None:
            entry.action = f"退回（{_step_name(units, application, event.step)}）"
        entry.outcomes.append("退回申请人修改")
    elif event.action == Action.RESUBMIT:
        entry.outcomes.append("从第 1 环节重新审批")
    if event.diff and event.action in (Action.SUBMIT, Action.RESUBMIT):
        entry.outcomes.append("申请变更：" + "、".join(account_fields.field_label(n) for n in event.diff
                                                    if n not in OPINION_FIELDS))
    return entry


def read_history(events: Iterable[LifecycleEvent]) -> list[HistoryEntry]:
    """One entry per decision, oldest first. The account's status change that a final approval or a
    withdrawal causes is written right after it, by the same actor; it reads as that decision's outcome
    instead of as a second approval."""
    events = sorted(events, key=lambda e: (e.at, e.pk))
    unit_ids = {unit_id for e in events if e.application_id for unit_id in e.application.steps}
    units = Unit.objects.in_bulk(unit_ids)
    entries: list[HistoryEntry] = []
    decided: HistoryEntry | None = None  # the last final decision, while its consequences may follow
    decided_by = None
    for event in events:
        actor = event.actor.display_name if event.actor else "系统"
        if _is_application_event(event):
            entry = _decision_entry(event, units, actor)
            entries.append(entry)
            final = event.to_state in (ApplicationState.APPROVED, ApplicationState.WITHDRAWN)
            decided, decided_by = (entry, (event.actor_id, event.application_id)) if final else (None, None)
            continue
        outcome = _account_outcome(event)
        if decided and decided_by == (event.actor_id, event.application_id):
            if outcome:
                decided.outcomes.append(outcome)
            continue
        decided = None
        entries.append(HistoryEntry(event.get_action_display(), actor, event.at, event.comment,
                                    [outcome] if outcome else [], application=event.application))
    return entries


def application_history(application: Application) -> list[HistoryEntry]:
    return read_history(application.events.select_related("actor", "actor__person", "application"))


@dataclass
class NextStep:
    working_days: int
    due_on: date
    provisional: bool
    filed: bool
    overdue: bool


def filing_next_step(application: Application, *, today: date | None = None) -> NextStep | None:
    """After the final approval: the filing the approval opened (art. 6: within 7 working days), for the
    notice that points the applicant to it."""
    if application.state != ApplicationState.APPROVED:
        return None
    filing = Filing.objects.filter(application=application).order_by("pk").first()
    if filing is None:
        return None
    filed = filing.filed_on is not None
    overdue = not filed and filing.due_on < (today or clock.today())
    return NextStep(FILING_WORKING_DAYS, filing.due_on, filing.due_is_provisional, filed, overdue)
