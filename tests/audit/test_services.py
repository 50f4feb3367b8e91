"""Audit services called directly: the bulk writer's rows match what the save signal writes."""

import pytest

from govmedia.audit.context import acting_as, actor_for_user
from govmedia.audit.models import AuditEntry
from govmedia.audit.services import audit_bulk_create
from govmedia.orgs.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

_SAME = ("at", "actor_id", "actor_label", "ip_address", "channel", "action", "object_type")


def test_a_bulk_created_object_gets_the_audit_row_the_save_signal_would_write(edu_unit_admin, frozen_clock):
    with acting_as(actor_for_user(edu_unit_admin, ip_address="10.1.2.3", channel="import")):
        saved = Unit.objects.create(name="区审计局", kind=UnitKind.DEPARTMENT)
        [bulk] = Unit.objects.bulk_create([Unit(name="区统计局", kind=UnitKind.DEPARTMENT)])
        assert audit_bulk_create([bulk]) == 1
    by_signal = AuditEntry.objects.get(object_type="orgs.Unit", object_id=str(saved.pk))
    by_bulk = AuditEntry.objects.get(object_type="orgs.Unit", object_id=str(bulk.pk))
    assert [getattr(by_bulk, k) for k in _SAME] == [getattr(by_signal, k) for k in _SAME]
    assert by_bulk.object_repr == "区统计局"
    expected = {**by_signal.changes, "id": [None, bulk.pk], "name": [None, "区统计局"]}
    assert by_bulk.changes == expected


def test_bulk_auditing_nothing_writes_nothing():
    assert audit_bulk_create([]) == 0
    assert not AuditEntry.objects.exists()
