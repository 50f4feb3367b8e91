"""Creating the first district supervisor of a deployment started without the demo."""

import pytest
from django.core.exceptions import ValidationError

from govmedia.audit.models import AuditEntry
from govmedia.orgs.models import Role, Unit, UnitKind, User
from govmedia.orgs.services import supervisor_create

pytestmark = pytest.mark.django_db

PASSWORD = "Xihai2026first"


def test_the_first_supervisor_brings_the_district_office_on_an_empty_database(settings):
    settings.GOVMEDIA_DISTRICT_NAME = "青岛西海岸新区"
    user = supervisor_create(username="wang", password=PASSWORD, name="王监管", title="政务公开科科长")
    assert user.role == Role.SUPERVISOR and user.is_staff and not user.is_superuser
    assert user.is_district_supervisor
    assert user.unit == Unit.objects.get(kind=UnitKind.DISTRICT_OFFICE, name="青岛西海岸新区管委办公室")
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(object_type__icontains="user", object_id=str(user.pk)).exists()


def test_a_second_supervisor_joins_the_existing_district_office(district):
    user = supervisor_create(username="li", password=PASSWORD, name="李监管")
    assert user.unit == district.office
    assert Unit.objects.filter(kind=UnitKind.DISTRICT_OFFICE).count() == 1


def test_a_weak_password_is_refused_in_chinese_and_nothing_is_written(db):
    with pytest.raises(ValidationError) as refused:
        supervisor_create(username="wang", password="12345678", name="王监管")
    assert any("密码" in m for m in refused.value.message_dict["password"])
    assert not User.objects.exists() and not Unit.objects.exists()


def test_a_taken_user_name_is_refused(district):
    with pytest.raises(ValidationError, match="用户名“supervisor”已存在"):
        supervisor_create(username="supervisor", password=PASSWORD, name="王监管")
