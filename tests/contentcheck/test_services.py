import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govmedia.contentcheck.models import ContentCheck, Lexicon, StoredFinding
from govmedia.contentcheck.services import active_checker, content_check_run, lexicon_save
from govmedia.orgs.models import Unit
from govmedia.registry.models import TeamMember
from tests.factories import AccountFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _lexicon(content, name="区级补充词库"):
    return lexicon_save(lexicon=Lexicon(name=name, content=content), by=None)


def test_a_malformed_lexicon_line_is_refused_naming_the_line(supervisor):
    with pytest.raises(ValidationError) as error:
        _lexicon("typo\t部暑\t部署\nunknown_category\t某词\n")
    assert "第 2 行" in str(error.value)
    assert not Lexicon.objects.exists()


def test_every_change_of_a_lexicon_is_kept_as_a_revision_with_its_version(supervisor):
    lexicon = _lexicon("prohibited\t西海岸测试违禁词\n")
    first = lexicon.version
    lexicon.content += "prohibited\t另一个测试违禁词\n"
    lexicon_save(lexicon=lexicon, by=supervisor)
    assert lexicon.version != first
    assert list(lexicon.revisions.values_list("version", flat=True)) == [lexicon.version, first]
    assert lexicon.entry_count == 2


def test_a_district_lexicon_term_is_found_and_the_finding_records_the_lexicon_version(edu_reviewer):
    lexicon = _lexicon("prohibited\t西海岸测试违禁词\n")
    run = content_check_run(text="本文含有西海岸测试违禁词一处。", title="测试", by=edu_reviewer)
    finding = run.findings.get(category="prohibited", text="西海岸测试违禁词")
    assert finding.source == "db:区级补充词库"
    assert finding.lexicon_version == lexicon.version
    assert run.unit == edu_reviewer.unit and run.finding_count == run.findings.count()


def test_an_inactive_lexicon_is_not_used(edu_reviewer):
    lexicon = _lexicon("prohibited\t西海岸测试违禁词\n")
    lexicon.is_active = False
    lexicon_save(lexicon=lexicon, by=None)
    run = content_check_run(text="本文含有西海岸测试违禁词一处。", title="测试", by=edu_reviewer)
    assert not run.findings.filter(text="西海岸测试违禁词").exists()


def test_the_checker_is_rebuilt_only_when_a_lexicon_changes():
    _lexicon("prohibited\t西海岸测试违禁词\n")
    assert active_checker() is active_checker()
    before = active_checker()
    _lexicon("prohibited\t另一个测试违禁词\n", name="第二词库")
    assert active_checker() is not before


def test_stored_findings_point_at_the_original_text(edu_reviewer):
    text = "区政府召开会议，要求再接再励，做好防汛工作。"
    run = content_check_run(text=text, title="会议", by=edu_reviewer)
    for finding in StoredFinding.objects.filter(check_run=run):
        assert text[finding.start:finding.end] == finding.text


def test_a_check_cannot_be_filed_on_an_account_the_user_does_not_see(edu_reviewer, street_weibo):
    with pytest.raises(PermissionDenied, match="灵山卫发布"):
        content_check_run(text="稿件", title="越权", by=edu_reviewer, account=street_weibo)
    assert not ContentCheck.objects.exists()


def test_past_the_cap_only_the_most_serious_findings_are_stored_and_the_total_is_kept(edu_reviewer, monkeypatch):
    from govmedia.contentcheck import services

    monkeypatch.setattr(services, "MAX_STORED_FINDINGS", 3)
    text = "我们要再接再励。" * 5 + "这份文件属于绝密★级别。"
    run = content_check_run(text=text, title="多处问题", by=edu_reviewer)
    stored = list(run.findings.order_by("start"))
    assert run.finding_count > 3 and len(stored) == 3
    assert any(f.category == "secret_marking" for f in stored)  # the high-severity one is never dropped
    assert [f.start for f in stored] == sorted(f.start for f in stored)


def test_a_unit_name_in_the_registry_is_never_reported_as_a_typo(edu_reviewer):
    text = "因伪下雨，为了放便群众，活动改期。"
    assert any(f.category == "typo" and f.text == "放便" for f in active_checker().check(text))
    UnitFactory(name="放便群众")
    run = content_check_run(text=text, title="测试", by=edu_reviewer)
    assert list(run.findings.filter(category="typo").values_list("text", flat=True)) == ["因伪"]


def test_an_account_name_and_a_leader_name_are_never_reported_as_typos():
    text = "因伪下雨，为了放便群众，活动改期。"
    assert {f.text for f in active_checker().check(text) if f.category == "typo"} == {"因伪", "放便"}
    AccountFactory(name="放便群众", host_leader_name="因伪")
    found = active_checker().check(text)
    assert [f for f in found if f.category == "typo"] == []


def test_the_checker_is_rebuilt_when_a_registry_name_changes():
    before = active_checker()
    assert active_checker() is before
    unit = UnitFactory(name="灵山卫街道办事处")
    after = active_checker()
    assert after is not before
    unit.short_name = "灵山卫街道"
    unit.save()
    assert active_checker() is not after


# ---------------------------------------------------------------- the checker's cache key is cheap and exact


def test_a_repeated_check_reads_two_small_queries_and_no_content(django_assert_max_num_queries):
    _lexicon("prohibited\t西海岸测试违禁词\n")
    AccountFactory(name="西海岸发布")
    checker = active_checker()
    with django_assert_max_num_queries(2) as captured:
        assert active_checker() is checker
    assert not any('"content"' in q["sql"] for q in captured.captured_queries)  # lexicon text read only to build


def test_a_renamed_account_or_unit_rebuilds_the_checker():
    text = "因伪下雨，为了放便群众，活动改期。"
    account, unit = AccountFactory(name="西海岸发布"), UnitFactory(name="灵山卫街道")
    before = active_checker()
    account.name = "放便群众"
    account.save()
    renamed = active_checker()
    assert renamed is not before and "放便" not in {f.text for f in renamed.check(text)}
    unit.short_name = "因伪"
    unit.save()
    assert "因伪" not in {f.text for f in active_checker().check(text)}


def test_a_name_changed_behind_the_models_back_still_rebuilds_the_checker():
    """An UPDATE without signals (a service's conditional update, an import, raw SQL) is seen too."""
    text = "因伪下雨，为了放便群众，活动改期。"
    unit = UnitFactory(name="灵山卫街道")
    before = active_checker()
    Unit.objects.filter(pk=unit.pk).update(name="放便群众")
    after = active_checker()
    assert after is not before and "放便" not in {f.text for f in after.check(text)}
    Unit.objects.filter(pk=unit.pk).delete()
    assert "放便" in {f.text for f in active_checker().check(text)}


def test_a_person_or_team_member_added_renamed_or_deleted_rebuilds_the_checker():
    account = AccountFactory(name="西海岸发布")
    checkers = [active_checker()]
    member = TeamMember.objects.create(account=account, name="王小明", unit_and_title="科员")
    checkers.append(active_checker())
    TeamMember.objects.filter(pk=member.pk).update(name="王晓明")
    checkers.append(active_checker())
    member.delete()
    checkers.append(active_checker())
    assert len({id(c) for c in checkers}) == 4


def test_a_lexicon_whose_entries_change_rebuilds_the_checker():
    """Its version is a hash of its entries, so (name, version) is key enough."""
    lexicon = _lexicon("prohibited\t西海岸测试违禁词\n")
    before = active_checker()
    lexicon.content = "prohibited\t另一个测试违禁词\n"
    lexicon_save(lexicon=lexicon, by=None)
    found = {f.text for f in active_checker().check("另一个测试违禁词和西海岸测试违禁词")}
    assert active_checker() is not before and found == {"另一个测试违禁词"}
