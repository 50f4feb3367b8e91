"""Who sees which content checks: an operator sees their own and those on the accounts they run."""

import pytest

from govmedia.contentcheck.selectors import checks_visible_to
from govmedia.contentcheck.services import content_check_run
from govmedia.orgs.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contractor_operator(district, street_weibo):
    operator = UserFactory(username="contractor_operator", unit=district.contractor, role=Role.OPERATOR)
    street_weibo.operators.add(operator)
    return operator


def _titles(user) -> set[str]:
    return set(checks_visible_to(user).values_list("title", flat=True))


def test_a_contractors_operator_sees_only_their_own_checks_and_those_on_their_accounts(
    district, contractor_operator, street_reviewer, street_weibo
):
    content_check_run(text="街道内部讲话稿", title="街道内部", by=street_reviewer)
    content_check_run(text="微博稿件", title="灵山卫发布稿件", by=street_reviewer, account=street_weibo)
    content_check_run(text="运维稿件", title="运维自查", by=contractor_operator)
    assert _titles(contractor_operator) == {"灵山卫发布稿件", "运维自查"}


def test_an_operator_of_the_unit_does_not_see_colleagues_checks_on_accounts_they_do_not_run(
    edu_operator, assigned_operator, edu_reviewer, edu_weibo, edu_wechat
):
    content_check_run(text="稿件一", title="教体微博稿", by=edu_reviewer, account=edu_weibo)
    content_check_run(text="稿件二", title="教体公众号稿", by=edu_reviewer, account=edu_wechat)
    content_check_run(text="稿件三", title="内部材料", by=edu_reviewer)
    assert _titles(assigned_operator) == {"教体微博稿"}
    assert _titles(edu_operator) == set()
    assert _titles(edu_reviewer) == {"教体微博稿", "教体公众号稿", "内部材料"}


def test_the_host_unit_sees_a_contractors_check_on_its_account(contractor_operator, street_reviewer, street_weibo,
                                                                edu_reviewer):
    content_check_run(text="运维稿件", title="运维稿件", by=contractor_operator, account=street_weibo)
    assert _titles(street_reviewer) == {"运维稿件"}
    assert _titles(edu_reviewer) == set()
