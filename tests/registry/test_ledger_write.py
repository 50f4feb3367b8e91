"""Writing a checked ledger (ledger_write): a query count that does not grow with the rows, and an audit
trail as complete as saving each object would leave."""

import json
import re

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from govmedia.audit.context import acting_as, actor_for_user
from govmedia.audit.models import AuditEntry
from govmedia.orgs.models import Person
from govmedia.registry import ledger_write
from govmedia.registry.models import Account, ColumnMenu, Filing, FollowerSnapshot, LifecycleEvent, TeamMember
from tests.factories import UnitFactory
from tests.registry.test_ledger import _import, _row, _xlsx

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- bulk import: fixed queries, complete audit trail


def _ledger_for_new_units(n: int, tag: str) -> bytes:
    """n accounts of n new departments, each with a menu, two team members, a new responsible person and a
    legacy filing (every other one already filed at the province): every kind of object an import writes."""
    units = UnitFactory.create_batch(n)
    rows = [_row(主办单位=u.name, 账号名称=f"{u.name}发布", 账号ID=f"{tag}{i}", 账号具体责任人=f"{tag}责任人{i}",
                 省备案系统编号=f"SD-{i}" if i % 2 else "") for i, u in enumerate(units)]
    menus = [["微信订阅号", f"{tag}{i}", "", "", "政务公开", "", "", ""] for i in range(n)]
    team = [["微信订阅号", f"{tag}{i}", "", name, "科员", "", ""] for i in range(n) for name in ("甲", "乙")]
    return _xlsx(rows, sheets={
        "栏目设置": (["发布平台", "账号ID", "账号名称", "名称", "一级菜单", "二级菜单", "三级菜单", "备注"], menus),
        "管理队伍": (["发布平台", "账号ID", "账号名称", "管理员姓名", "所在单位及职务", "办公电话", "手机号码"], team),
    })


def _queries_to_import(data: bytes, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = _import(data, user)
    assert result.ok, result.errors[:3]
    return len(queries.captured_queries)


def test_the_number_of_queries_of_an_import_does_not_grow_with_its_rows(supervisor, frozen_clock):
    small, large = _ledger_for_new_units(5, "s"), _ledger_for_new_units(10, "l")
    assert _queries_to_import(small, supervisor) == _queries_to_import(large, supervisor)
    assert Account.objects.count() == 15


def test_a_bulk_import_leaves_one_audit_row_per_created_object_attributed_to_the_importer(supervisor,
                                                                                      frozen_clock):
    with acting_as(actor_for_user(supervisor, channel="import")):
        assert _import(_ledger_for_new_units(4, "a"), supervisor).ok
    created = {model._meta.label: model.objects.count()
               for model in (Account, ColumnMenu, TeamMember, FollowerSnapshot, LifecycleEvent, Filing)}
    created["orgs.Person"] = Person.objects.filter(name__startswith="a责任人").count()
    audited = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, actor=supervisor, channel="import")
    assert {label: audited.filter(object_type=label).count() for label in created} == created
    assert created["registry.LifecycleEvent"] == 4 + 2  # an import event each, a filing event for two
    account = Account.objects.get(account_id="a1")
    entry = audited.get(object_type="registry.Account", object_id=str(account.pk))
    assert entry.changes["account_id"] == [None, "a1"] and entry.object_repr == str(account)
    assert entry.changes["responsible_person"] == [None, account.responsible_person_id]



def _trail_of_import(data: bytes, user) -> list[tuple]:
    """The CREATE rows an import writes, with ids and the time of writing (which differ from one run to the
    next) left out."""
    with transaction.atomic():
        first = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with acting_as(actor_for_user(user, channel="import")):
            assert _import(data, user).ok
        trail = []
        for entry in AuditEntry.objects.filter(pk__gt=first, action=AuditEntry.Action.CREATE):
            meta = apps.get_model(entry.object_type)._meta
            ids = {f.name for f in meta.concrete_fields if f.primary_key or f.is_relation or
                   getattr(f, "auto_now_add", False)} - {"actor", "filed_by"}
            changes = {k: "#" if k in ids else v for k, v in entry.changes.items()}
            trail.append((entry.object_type, re.sub(r"\d+号账号", "#号账号", entry.object_repr),
                          json.dumps(changes, sort_keys=True, ensure_ascii=False), entry.actor_id, entry.channel))
        transaction.set_rollback(True)
    return sorted(trail)


def test_the_audit_rows_of_a_bulk_import_equal_those_the_save_signal_writes_for_each_object(
        supervisor, frozen_clock, monkeypatch):
    data = _ledger_for_new_units(4, "e")
    in_bulk = _trail_of_import(data, supervisor)
    # The same import saving object by object: the post_save signal writes the audit rows.
    monkeypatch.setattr(ledger_write, "bulk_insert", lambda objects: [o.save() for o in objects])
    monkeypatch.setattr(ledger_write, "audit_bulk_create", lambda objects: 0)
    one_by_one = _trail_of_import(data, supervisor)
    # Each: person, account, menu, 2 team members, followers, import event, filing; two are filed already
    # (a filing event and a lifecycle event each).
    assert len(in_bulk) == 4 * 8 + 2 * 2
    assert in_bulk == one_by_one
