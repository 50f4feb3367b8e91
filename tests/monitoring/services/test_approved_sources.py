"""The approved-source list is the district's: supervisors keep it, every name or alias belongs to one outlet
(compared as reposts are matched), and the shipped outlets are there from the first migration."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govmedia.monitoring.engine.approved import shipped_outlets
from govmedia.monitoring.models import ApprovedSource, SourceLevel
from govmedia.monitoring.services.approved_sources import (
    approved_source_delete,
    approved_source_save,
    check_approved_source,
)

pytestmark = pytest.mark.django_db


def save(by, name="西海岸发布", level=SourceLevel.DISTRICT, aliases="", **fields) -> ApprovedSource:
    return approved_source_save(source=ApprovedSource(name=name, level=level, aliases=aliases, **fields), by=by)


def test_the_migration_seeds_the_shipped_central_provincial_and_municipal_outlets():
    names = set(ApprovedSource.objects.values_list("name", flat=True))
    assert {"新华社", "人民日报", "央视新闻", "中国政府网", "大众日报", "山东发布", "青岛日报", "青岛发布"} <= names
    assert len(names) == len(shipped_outlets())
    assert "新华网" in ApprovedSource.objects.get(name="新华社").names()


def test_every_seeded_outlet_passes_the_lists_own_rules(supervisor):
    for source in ApprovedSource.objects.all():
        check_approved_source(source=source, by=supervisor)


def test_a_supervisor_adds_an_outlet_with_its_aliases_one_a_line(supervisor):
    source = save(supervisor, aliases="青岛西海岸新区发布, 西海岸发布、西海岸新区发布\n青岛西海岸新区发布")
    assert source.aliases == "青岛西海岸新区发布\n西海岸新区发布"
    assert source.names() == ["西海岸发布", "青岛西海岸新区发布", "西海岸新区发布"]


@pytest.mark.parametrize("persona", ["edu_unit_admin", "street_leader", "assigned_operator"])
def test_nobody_but_supervisors_edits_the_list(request, persona):
    with pytest.raises(PermissionDenied, match="名单由区级监管员维护"):
        save(request.getfixturevalue(persona))
    source = ApprovedSource.objects.get(name="新华社")
    with pytest.raises(PermissionDenied):
        approved_source_delete(source=source, by=request.getfixturevalue(persona))
    assert ApprovedSource.objects.filter(name="新华社").exists()


@pytest.mark.parametrize(("name", "aliases", "field", "message"), [
    ("新华社客户端", "", "name", "“新华社客户端”与许可转载来源“新华社”的名称或别名相同"),
    ("新华", "", "name", "“新华”与许可转载来源“新华社”的名称或别名相同"),  # 新华网 less its 网
    ("西海岸发布", "人民网", "aliases", "“人民网”与许可转载来源“人民日报”"),
    ("  ", "", "name", "请填写来源名称"),
    ("《》", "", "name", "去掉标点和“客户端”“官网”等后缀后为空"),
    ("长" * 101, "", "name", "来源名称不能超过 100 字"),
])
def test_names_are_checked_as_reposts_are_matched(supervisor, name, aliases, field, message):
    with pytest.raises(ValidationError) as refused:
        save(supervisor, name=name, aliases=aliases)
    [said] = refused.value.message_dict[field]
    assert message in said


def test_a_level_that_does_not_exist_is_refused(supervisor):
    with pytest.raises(ValidationError, match="级别“county”不存在"):
        save(supervisor, level="county")


def test_an_outlet_keeps_its_own_names_when_edited_and_can_be_deactivated(supervisor):
    source = ApprovedSource.objects.get(name="新华社")
    source.is_active = False
    approved_source_save(source=source, by=supervisor)
    assert ApprovedSource.objects.get(name="新华社").is_active is False


def test_a_supervisor_deletes_an_outlet(supervisor):
    source = save(supervisor)
    approved_source_delete(source=source, by=supervisor)
    assert not ApprovedSource.objects.filter(name="西海岸发布").exists()
