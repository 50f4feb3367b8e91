"""Article 5: one account per unit per platform, no internal departments, no individuals; art. 3/4: who
is competent and who may host."""

import pytest

from govmedia.errors import RuleViolation
from govmedia.orgs.models import UnitKind
from govmedia.registry.models import AccountStatus
from govmedia.registry.rules import check_account_holder, default_competent_unit_id
from tests.factories import AccountFactory, UnitFactory, platform

pytestmark = pytest.mark.django_db


def refusal(**kwargs) -> dict[str, list[str]]:
    """The errors check_account_holder raises, keyed by form field."""
    kwargs.setdefault("name", "西海岸政务")
    with pytest.raises(RuleViolation) as caught:
        check_account_holder(**kwargs)
    return caught.value.message_dict


def allowed(**kwargs) -> bool:
    kwargs.setdefault("name", "西海岸政务")
    check_account_holder(**kwargs)
    return True


# ---------------------------------------------------------------- one account per platform


def test_a_second_account_on_the_same_platform_is_refused(district, edu_weibo):
    errors = refusal(host_unit=district.edu, platform=platform("weibo"))
    assert list(errors) == ["platform"]
    assert "西海岸教育发布" in errors["platform"][0] and "第五条" in errors["platform"][0]


def test_wechat_service_and_subscription_accounts_count_as_one_platform(district, edu_wechat):
    assert edu_wechat.platform.code == "wechat-subscription"
    assert "platform" in refusal(host_unit=district.edu, platform=platform("wechat-service"))


def test_a_mini_program_does_not_clash_with_an_official_account(district, edu_wechat):
    assert allowed(host_unit=district.edu, platform=platform("wechat-miniprogram"))


def test_another_platform_of_the_same_unit_is_allowed(district, edu_weibo):
    assert allowed(host_unit=district.edu, platform=platform("douyin"))


def test_another_unit_may_hold_the_same_platform(district, edu_weibo):
    assert allowed(host_unit=district.street, platform=platform("weibo"))


def test_a_subordinate_unit_has_its_own_allowance(district, edu_weibo):
    assert allowed(host_unit=district.school, platform=platform("weibo"))


@pytest.mark.parametrize("status", [AccountStatus.CLOSED, AccountStatus.CANCELLED, AccountStatus.REJECTED])
def test_an_account_that_is_gone_does_not_block_a_new_one(district, status):
    AccountFactory(host_unit=district.edu, platform=platform("weibo"), status=status)
    assert allowed(host_unit=district.edu, platform=platform("weibo"))


@pytest.mark.parametrize("status", [AccountStatus.PENDING, AccountStatus.CLOSING])
def test_an_opening_under_approval_or_a_closure_under_notice_still_blocks(district, status):
    AccountFactory(host_unit=district.edu, platform=platform("weibo"), status=status)
    assert "platform" in refusal(host_unit=district.edu, platform=platform("weibo"))


def test_an_account_does_not_clash_with_itself_when_it_is_changed(district, edu_weibo):
    assert allowed(host_unit=district.edu, platform=platform("weibo"), exclude_account=edu_weibo)


# ---------------------------------------------------------------- who may host


def test_an_internal_department_may_not_host_an_account(district):
    errors = refusal(host_unit=district.edu_office, platform=platform("douyin"))
    assert "内设机构" in errors["host_unit"][0]


def test_an_account_named_after_an_internal_department_is_refused(district):
    errors = refusal(host_unit=district.edu, platform=platform("douyin"), name="区教育和体育局办公室")
    assert "区教育和体育局办公室" in errors["name"][0]


def test_an_internal_department_is_recognised_under_the_units_short_name(district):
    assert "name" in refusal(host_unit=district.edu, platform=platform("douyin"), name="教体局办公室")


def test_an_internal_department_is_recognised_by_its_own_short_name(district):
    UnitFactory(name="区教育和体育局基础教育科", short_name="基教科", kind=UnitKind.INTERNAL, parent=district.edu)
    assert "name" in refusal(host_unit=district.edu, platform=platform("douyin"), name="西海岸基教科")


def test_a_word_in_the_units_own_name_does_not_count_as_a_department(district):
    UnitFactory(name="管委办公室督查科", kind=UnitKind.INTERNAL, parent=district.office)
    assert allowed(host_unit=district.office, platform=platform("weibo"), name="管委办公室")
    assert "name" in refusal(host_unit=district.office, platform=platform("weibo"), name="西海岸督查科")


def test_an_account_named_for_the_unit_itself_is_allowed(district):
    assert allowed(host_unit=district.edu, platform=platform("douyin"), name="西海岸教育发布")


def test_an_account_registered_by_an_individual_is_refused(district):
    errors = refusal(host_unit=district.edu, platform=platform("douyin"), registrant_kind="individual")
    assert "个人" in errors["registrant_kind"][0]


def test_a_contractor_can_operate_but_not_host_an_account(district):
    errors = refusal(host_unit=district.contractor, platform=platform("douyin"))
    assert "承办单位" in errors["host_unit"][0]


@pytest.mark.parametrize("unit", ["office", "edu", "school", "street", "water_co"])
def test_units_of_every_owning_kind_may_host(district, unit):
    assert allowed(host_unit=getattr(district, unit), platform=platform("kuaishou"))


def test_every_broken_rule_is_reported_at_once(district, edu_weibo):
    errors = refusal(host_unit=district.edu, platform=platform("weibo"), name="区教育和体育局办公室",
                     registrant_kind="individual")
    assert set(errors) == {"platform", "name", "registrant_kind"}


# ---------------------------------------------------------------- the competent unit (art. 3)


def test_the_default_competent_unit_is_the_designated_one_else_the_parent_else_the_unit_itself(district):
    assert default_competent_unit_id(district.water_co) == district.water.pk  # industry regulator
    assert default_competent_unit_id(district.school) == district.edu.pk
    branch = UnitFactory(name="实验小学分校", kind=UnitKind.SUBORDINATE, parent=district.school)
    assert default_competent_unit_id(branch) == district.school.pk
    assert default_competent_unit_id(district.edu) == district.edu.pk


def test_a_unit_with_a_competent_unit_cannot_name_another_one(district):
    for other in (district.school, district.office, district.street):
        errors = refusal(host_unit=district.school, platform=platform("douyin"), competent_unit_id=other.pk)
        assert "区教育和体育局" in errors["competent_unit"][0]
    assert allowed(host_unit=district.school, platform=platform("douyin"), competent_unit_id=district.edu.pk)


def test_a_department_is_its_own_competent_unit_or_reports_to_the_district_office(district):
    assert allowed(host_unit=district.edu, platform=platform("douyin"), competent_unit_id=district.edu.pk)
    assert allowed(host_unit=district.edu, platform=platform("douyin"), competent_unit_id=district.office.pk)
    assert "competent_unit" in refusal(host_unit=district.edu, platform=platform("douyin"),
                                       competent_unit_id=district.street.pk)


def test_an_inactive_unit_cannot_host_an_account(district):
    district.street.is_active = False
    district.street.save()
    with pytest.raises(RuleViolation) as error:
        check_account_holder(host_unit=district.street, platform=platform("douyin"), name="灵山卫抖音")
    assert "已停用" in str(error.value)
