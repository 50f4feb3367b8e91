import pytest

from govmedia.orgs.models import Role
from tests.factories import UserFactory


@pytest.fixture
def school_operator(district):
    return UserFactory(username="school_operator", unit=district.school, role=Role.OPERATOR,
                       person__name="吴老师")
