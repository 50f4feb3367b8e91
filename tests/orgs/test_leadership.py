"""主要负责人 and 分管负责人 kept apart: who signs a unit's opinion on attachment 1."""

import pytest

from govmedia.orgs.leadership import principal_rank, principal_signer, unit_principal
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("title", ["局长", "党组书记、局长", "党工委书记、办事处主任", "校长", "总经理", "主任"])
def test_a_head_post_makes_a_principal(title):
    assert principal_rank(title) is not None


@pytest.mark.parametrize("title", ["副局长", "党委委员、副镇长", "党工委委员、办事处副主任", "办公室主任", "政务公开科科长",
                                   "科员", ""])
def test_a_deputy_or_a_section_head_is_not_the_units_principal(title):
    assert principal_rank(title) is None


def test_the_principal_is_the_person_holding_the_head_post_not_the_deputy_in_charge():
    unit = UnitFactory()
    PersonFactory(unit=unit, name="赵局长", title="副局长")
    PersonFactory(unit=unit, name="王书记", title="党组书记")
    head = PersonFactory(unit=unit, name="李局长", title="局长")
    PersonFactory(title="局长")  # another unit's
    assert unit_principal(unit) == head


def test_a_deputy_approver_leaves_the_principals_name_on_the_signature_line():
    unit = UnitFactory()
    deputy = PersonFactory(unit=unit, name="赵局长", title="副局长")
    assert principal_signer(unit, deputy) == ""
    PersonFactory(unit=unit, name="李局长", title="局长")
    assert principal_signer(unit, deputy) == "李局长"


def test_a_principal_who_approves_signs_in_their_own_name():
    unit = UnitFactory()
    PersonFactory(unit=unit, name="李局长", title="局长")
    acting = PersonFactory(unit=unit, name="王书记", title="党组书记")
    assert principal_signer(unit, acting) == "王书记"
    assert principal_signer(unit, PersonFactory(title="局长")) == "李局长"  # a principal of another unit does not sign
