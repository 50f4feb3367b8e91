from django.test import Client

from govmedia.orgs.models import Role
from govmedia.publishing.models import ChainStep, Grade
from govmedia.publishing.services.review import DEFAULT_CHAINS, chain_for


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, unit, grade, **rows):
    return client.post(f"/publishing/chains/{unit.pk}/{grade}/", rows, follow=True)


def test_a_unit_admin_sets_a_two_step_chain_that_new_submissions_follow(edu_unit_admin, edu_leader, edu):
    response = _post(_client(edu_unit_admin), edu, Grade.ROUTINE,
                     label_0="科室初审", role_0=Role.REVIEWER, mode_0="any",
                     label_1="分管领导签发", users_1=[str(edu_leader.pk)], mode_1="all")
    assert "共2步" in response.content.decode()
    chain = chain_for(edu, Grade.ROUTINE)
    assert [(s.label, s.role, s.mode, s.user_ids) for s in chain] == [
        ("科室初审", Role.REVIEWER, "any", ()), ("分管领导签发", "", "all", (edu_leader.pk,))]


def test_the_page_shows_the_default_chain_until_one_is_set(edu_unit_admin, edu):
    page = _client(edu_unit_admin).get(f"/publishing/chains/?unit={edu.pk}").content.decode()
    assert "默认流程" in page
    assert " → ".join(s.label for s in DEFAULT_CHAINS[Grade.MAJOR]) in page


def test_the_page_uses_the_apps_buttons_and_shows_several_approvers_at_once(edu_unit_admin, edu):
    page = _client(edu_unit_admin).get(f"/publishing/chains/?unit={edu.pk}").content.decode()
    assert "<button type=" not in page and 'class="btn btn-primary" type="submit">保存一般流程' in page
    assert 'multiple size="8"' in page


def test_restoring_the_default_removes_the_units_steps(edu_unit_admin, edu):
    client = _client(edu_unit_admin)
    _post(client, edu, Grade.SENSITIVE, label_0="只需负责人", role_0=Role.LEADER)
    assert ChainStep.objects.filter(unit=edu, grade=Grade.SENSITIVE).count() == 1
    response = _post(client, edu, Grade.SENSITIVE, reset="1")
    assert "恢复默认" in response.content.decode()
    assert chain_for(edu, Grade.SENSITIVE) == DEFAULT_CHAINS[Grade.SENSITIVE]


def test_a_step_without_a_name_is_refused_naming_its_row_and_nothing_changes(edu_unit_admin, edu):
    client = _client(edu_unit_admin)
    _post(client, edu, Grade.ROUTINE, label_0="初审", role_0=Role.REVIEWER)
    response = _post(client, edu, Grade.ROUTINE, label_0="初审", role_0=Role.REVIEWER, role_1=Role.LEADER)
    assert "第2步：请填写步骤名称" in response.content.decode()
    assert [s.label for s in chain_for(edu, Grade.ROUTINE)] == ["初审"]


def test_junk_role_mode_and_user_values_are_named_not_a_500(edu_unit_admin, edu):
    response = _post(_client(edu_unit_admin), edu, Grade.ROUTINE,
                     label_0="初审", role_0="boss", label_1="复审", mode_1="most", label_2="签发", users_2=["x1"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "第1步：审核角色“boss”无效" in page
    assert "第2步：通过方式“most”无效" in page
    assert "第3步：审核人员编号“x1”无效" in page
    assert not ChainStep.objects.filter(unit=edu).exists()


def test_another_units_admin_can_neither_see_nor_change_the_chain(street_unit_admin, edu):
    client = _client(street_unit_admin)
    assert client.get(f"/publishing/chains/?unit={edu.pk}").status_code == 404
    assert client.post(f"/publishing/chains/{edu.pk}/routine/",
                       {"label_0": "自己说了算", "role_0": Role.OPERATOR}).status_code == 404
    assert not ChainStep.objects.filter(unit=edu).exists()


def test_a_unit_admin_cannot_name_people_outside_its_remit(edu_unit_admin, street_reviewer, edu):
    response = _post(_client(edu_unit_admin), edu, Grade.ROUTINE, label_0="外单位审核",
                     users_0=[str(street_reviewer.pk)])
    assert "本单位范围内的在用账号" in response.content.decode()
    assert not ChainStep.objects.filter(unit=edu).exists()


def test_reviewers_and_operators_may_not_open_the_settings(edu_reviewer, edu_operator, edu):
    for user in (edu_reviewer, edu_operator):
        client = _client(user)
        assert client.get("/publishing/chains/").status_code == 403
        assert client.post(f"/publishing/chains/{edu.pk}/routine/", {"label_0": "x", "role_0": Role.OPERATOR}
                           ).status_code == 404


def test_a_supervisor_configures_any_units_chain(supervisor, street):
    _post(_client(supervisor), street, Grade.MAJOR, label_0="区级直审", role_0=Role.SUPERVISOR)
    assert [s.label for s in chain_for(street, Grade.MAJOR)] == ["区级直审"]


def test_an_unknown_grade_is_not_found(supervisor, street):
    assert _client(supervisor).post(f"/publishing/chains/{street.pk}/urgent/", {}).status_code == 404
