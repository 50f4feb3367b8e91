"""Writing a checked ledger: every account with its people, menus, team, followers, filings and history,
in a few INSERTs per table whatever the number of rows, and one audit row per object created.

`ledger` checks the file and hands over the drafts; nothing here checks them again.
"""

from dataclasses import dataclass, field

from govmedia import clock
from govmedia.audit.services import audit_bulk_create
from govmedia.bulk import bulk_insert
from govmedia.orgs.models import Person, User
from govmedia.registry import services
from govmedia.registry.models import (
    Account,
    AccountStatus,
    ColumnMenu,
    Filing,
    FilingEvent,
    FilingKind,
    FilingState,
    FollowerSnapshot,
    LifecycleEvent,
    TeamMember,
)
from govmedia.registry.services.filings import RECORD_COMMENT, filed_comment, recorded_state
from govmedia.workdays.selectors import work_calendar


@dataclass
class Draft:
    """One checked row of the main sheet, with its menu and team rows: what the import writes."""

    row: int
    account: Account
    followers: int | None = None
    responsible: tuple[str, str, str] = ("", "", "")
    columns: list[ColumnMenu] = field(default_factory=list)  # checked, written once the account is
    team: list[TeamMember] = field(default_factory=list)


def write_drafts(drafts: list[Draft], *, user: User, filename: str) -> None:
    """Every draft in a few bulk INSERTs whatever the row count, with one audit row per created object.

    Bulk inserts send no save signals, so the audit rows are written explicitly.
    """
    today, now = clock.today(), clock.now()
    calendar = work_calendar()
    people = _responsible_people(drafts)
    bulk_insert([d.account for d in drafts])
    # In saving order: a filing before its events.
    rows: dict[type, list] = {model: [] for model in (ColumnMenu, TeamMember, FollowerSnapshot, Filing,
                                                      FilingEvent, LifecycleEvent)}
    for draft in drafts:
        account = draft.account
        for position, menu in enumerate(draft.columns):
            menu.position = position
        rows[ColumnMenu] += draft.columns
        rows[TeamMember] += draft.team
        if draft.followers is not None:
            rows[FollowerSnapshot].append(
                FollowerSnapshot(account=account, taken_on=today, followers=draft.followers, source="import"))
        rows[LifecycleEvent].append(LifecycleEvent(
            account=account, actor=user, action=LifecycleEvent.Action.IMPORT, to_state=account.status,
            comment=f"从台账文件“{filename}”第{draft.row}行导入", at=now,
        ))
        # Art. 19 binds accounts still operating; one the province already has on file counts as filed.
        start = services.legacy_filing_start(account) if account.status == AccountStatus.NORMAL else None
        if start is None:
            continue
        filing = services.new_filing(account=account, kind=FilingKind.LEGACY, triggered_on=start, calendar=calendar)
        rows[Filing].append(filing)
        if account.provincial_filing_no or account.provincial_filed_on:
            # As services.filing_record, in bulk: a filing made before the platform kept filings.
            filing.filed_on, filing.filed_by = account.provincial_filed_on or today, user
            filing.provincial_filing_no, filing.state = account.provincial_filing_no[:60], recorded_state(user)
            rows[FilingEvent].append(FilingEvent(
                filing=filing, actor=user, action=FilingEvent.Action.RECORD, from_state=FilingState.PENDING,
                to_state=filing.state, provincial_filing_no=filing.provincial_filing_no, comment=RECORD_COMMENT,
                at=now,
            ))
            if filing.state == FilingState.CONFIRMED:
                rows[LifecycleEvent].append(LifecycleEvent(
                    account=account, actor=user, action=LifecycleEvent.Action.FILE, at=now,
                    comment=filed_comment(filing),
                ))
    for objects in rows.values():
        bulk_insert(objects)
    audit_bulk_create([*people, *(d.account for d in drafts), *(o for objects in rows.values() for o in objects)])


def _responsible_people(drafts: list[Draft]) -> list[Person]:
    """Point each draft at its responsible person: one of the host unit's people with that name (the one
    with the same mobile first), else a new person. Returns the people it created (saved)."""
    wanted = {(d.account.host_unit_id, d.responsible[0]) for d in drafts if d.responsible[0]}
    found: dict[tuple[int, str], list[Person]] = {key: [] for key in wanted}
    for person in Person.objects.filter(unit_id__in={u for u, _ in wanted},
                                        name__in={n for _, n in wanted}).order_by("pk"):
        found.get((person.unit_id, person.name), []).append(person)
    created = []
    for draft in drafts:
        name, title, mobile = draft.responsible
        if not name:
            continue
        people = found[(draft.account.host_unit_id, name)]
        same_mobile = [p for p in people if mobile and p.mobile == mobile]
        if not people:
            people.append(Person(unit=draft.account.host_unit, name=name, title=title, mobile=mobile))
            created.append(people[0])
        draft.account.responsible_person = (same_mobile or people)[0]
    # Saved before the accounts, whose insert then takes each new person's id.
    bulk_insert(created)
    return created
