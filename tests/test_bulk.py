"""bulk_insert(): new instances written in a few INSERTs, each given its pk, the same rows bulk_create() writes."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from govmedia.bulk import bulk_insert
from govmedia.registry.models import Filing, FilingEvent, FilingKind, LifecycleEvent
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

_AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def _filing(account, **kwargs) -> Filing:
    return Filing(account=account, kind=FilingKind.LEGACY, triggered_on=date(2026, 1, 5), due_on=date(2026, 1, 14),
                  due_is_provisional=True, provincial_filing_no="SD-1", **kwargs)


def _event(account, n: int) -> LifecycleEvent:
    return LifecycleEvent(account=account, action=LifecycleEvent.Action.IMPORT, to_state="normal",
                          comment=f"第{n}行", diff={"name": ["旧", "新"]} if n % 2 else {}, at=_AT)


def test_every_object_gets_its_pk_and_its_row_holds_what_bulk_create_would_write():
    account = AccountFactory()
    ours = [_event(account, n) for n in range(1, 8)]
    theirs = LifecycleEvent.objects.bulk_create([_event(account, n) for n in range(1, 8)])
    bulk_insert(ours)
    assert all(o.pk and not o._state.adding for o in ours)
    assert len({o.pk for o in ours} | {o.pk for o in theirs}) == 14
    stored = LifecycleEvent.objects.in_bulk()
    fields = [f.name for f in LifecycleEvent._meta.concrete_fields if f.name != "id"]
    for mine, reference in zip(ours, theirs, strict=True):
        assert model_to_dict(stored[mine.pk], fields) == model_to_dict(stored[reference.pk], fields)
        assert stored[mine.pk].comment == mine.comment and stored[mine.pk].at == _AT


def test_a_foreign_key_to_an_instance_saved_after_the_assignment_takes_its_pk():
    account = AccountFactory()
    filing = _filing(account)
    event = FilingEvent(filing=filing, action=FilingEvent.Action.RECORD, from_state="pending", to_state="confirmed",
                        at=_AT)
    bulk_insert([filing])
    bulk_insert([event])
    assert event.filing_id == filing.pk and event.filing is filing  # the instance is kept: no query for str()
    assert FilingEvent.objects.get(pk=event.pk).filing == filing
    assert Filing.objects.get(pk=filing.pk).due_is_provisional is True


def test_an_unsaved_related_object_or_an_already_saved_one_is_refused():
    account = AccountFactory()
    with pytest.raises(ValueError, match="unsaved related object 'filing'"):
        bulk_insert([FilingEvent(filing=_filing(account), action="record", from_state="pending", to_state="confirmed",
                                 at=_AT)])
    saved = _event(account, 1)
    saved.save()
    with pytest.raises(ValueError, match="new registry.LifecycleEvent instances only"):
        bulk_insert([_event(account, 2), saved])


def test_many_objects_take_a_few_statements():
    account = AccountFactory()
    with CaptureQueriesContext(connection) as queries:
        bulk_insert([_event(account, n) for n in range(1, 1202)])
    assert len(queries.captured_queries) == 3
    assert LifecycleEvent.objects.filter(account=account).count() == 1201


def test_nothing_to_insert_is_no_query():
    with CaptureQueriesContext(connection) as queries:
        bulk_insert([])
    assert not queries.captured_queries
