"""Findings are recorded once per problem: found again it is the same finding, a fixed one reopens, a false
positive stays one, and no history row is written per cycle."""

from datetime import date, timedelta

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.monitoring.engine.types import AccountFinding, LinkVerdict, PostFinding
from govmedia.monitoring.models import Alert, Finding, FindingEvent, FindingState
from govmedia.monitoring.services.findings import fix_findings, record_account_findings, record_post_findings
from tests.monitoring.factories import PostFactory

pytestmark = pytest.mark.django_db

WINDOW = (date(2026, 1, 6), date(2026, 3, 2))


def typo(start: int = 3) -> PostFinding:
    return PostFinding(code="typo", category="content", text="再接再励", start=start, end=start + 4,
                       detail="疑似错别字，建议改为“再接再厉”", severity="medium", suggestion="再接再厉",
                       lexicon_version="builtin:1a2b")


def broken_link(url: str) -> PostFinding:
    return PostFinding(code="broken_link", category="links", text=url, detail=f"链接不可用（客户端错误（4xx），HTTP 404）：{url}",
                       url=url, http_status=404)


def silence(days: int = 20) -> AccountFinding:
    return AccountFinding("sleeping", f"自 2026-02-10 起连续 {days} 天未更新", "2026-02-10",
                          {"silent_from": "2026-02-10", "silent_days": days})


def events(finding: Finding) -> list[tuple[str, str, str]]:
    return [(e.action, e.from_state, e.to_state) for e in FindingEvent.objects.filter(finding=finding)]


@pytest.fixture
def post(frozen_clock, edu_weibo):
    return PostFactory(account=edu_weibo, title="再接再励，做好冬季安全生产")


def test_a_new_finding_keeps_its_evidence_the_codes_severity_and_a_found_row(frozen_clock, post):
    recorded = record_post_findings(post=post, findings=[typo()], now=frozen_clock.current)
    [finding] = recorded.created
    finding = Finding.objects.get(pk=finding.pk)
    assert (finding.account, finding.post, finding.code, finding.severity) == (post.account, post, "typo", "medium")
    assert finding.lexicon_version == "builtin:1a2b" and finding.state == FindingState.OPEN
    assert finding.summary == "错别字：“再接再励”，疑似错别字，建议改为“再接再厉”"
    assert finding.evidence == {"post_id": post.pk, "category": "content", "start": 3, "end": 7, "text": "再接再励",
                                "suggestion": "再接再厉", "detail": "疑似错别字，建议改为“再接再厉”",
                                "found_at": frozen_clock.current.isoformat()}
    assert events(finding) == [("found", "", "open")]


def test_a_secret_marking_is_high_severity_whatever_the_finding_says(frozen_clock, post):
    marking = PostFinding(code="secret_marking", category="content", text="机密★5年", start=0, end=6, severity="low")
    [finding] = record_post_findings(post=post, findings=[marking], now=frozen_clock.current).created
    assert finding.severity == "high"


def test_a_broken_link_finding_records_the_url_the_status_and_the_verdict(frozen_clock, post):
    url = "https://www.example.gov.cn/gone"
    verdicts = {url: LinkVerdict(url=url, verdict="client_error", http_status=404)}
    record_post_findings(post=post, findings=[broken_link(url)], now=frozen_clock.current, verdicts=verdicts)
    finding = Finding.objects.get()
    assert finding.evidence["url"] == url and finding.evidence["http_status"] == 404
    assert finding.evidence["verdict"] == "client_error"
    assert finding.summary == f"链接不可用：{url}，链接不可用（客户端错误（4xx），HTTP 404）：{url}"


def test_the_same_problem_found_again_is_the_same_finding_without_a_history_row_each_time(frozen_clock, post):
    record_post_findings(post=post, findings=[typo()], now=frozen_clock.current)
    later = frozen_clock.advance(hours=1)
    again = record_post_findings(post=post, findings=[typo()], now=later)
    frozen_clock.advance(days=3)
    record_post_findings(post=post, findings=[typo()], now=frozen_clock.current)
    assert again.created == [] and again.found_again == 1
    finding = Finding.objects.get()
    assert finding.times_found == 3 and finding.last_found_at == frozen_clock.current
    assert events(finding) == [("found", "", "open")]


def test_the_same_words_in_another_post_or_place_are_another_finding(frozen_clock, post):
    other = PostFactory(account=post.account)
    record_post_findings(post=post, findings=[typo(3), typo(20)], now=frozen_clock.current)
    record_post_findings(post=other, findings=[typo(3)], now=frozen_clock.current)
    assert Finding.objects.count() == 3


def test_a_fixed_finding_found_again_reopens_with_a_history_row_and_alerts_again(frozen_clock, post, edu_unit_admin):
    [finding] = record_post_findings(post=post, findings=[typo()], now=frozen_clock.current).created
    fix_findings([finding], now=frozen_clock.advance(days=1), note="已删除该信息")
    Alert.objects.update(read_at=frozen_clock.current)
    again = record_post_findings(post=post, findings=[typo()], now=frozen_clock.advance(days=1))
    assert again.reopened == [finding]
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and finding.times_found == 2 and finding.state_reason == ""
    assert events(finding) == [("found", "", "open"), ("state", "open", "fixed"), ("found_again", "fixed", "open")]
    alert = Alert.objects.get(finding=finding, recipient=edu_unit_admin)
    assert alert.read_at is None and alert.created_at == frozen_clock.current


def test_a_false_positive_stays_a_false_positive_when_found_again(frozen_clock, post):
    [finding] = record_post_findings(post=post, findings=[typo()], now=frozen_clock.current).created
    Finding.objects.filter(pk=finding.pk).update(state=FindingState.FALSE_POSITIVE, state_reason="人名，非错别字")
    again = record_post_findings(post=post, findings=[typo()], now=frozen_clock.advance(days=1))
    finding.refresh_from_db()
    assert again.reopened == [] and again.created == []
    assert finding.state == FindingState.FALSE_POSITIVE and finding.state_reason == "人名，非错别字"
    assert finding.times_found == 2 and len(events(finding)) == 1


def test_an_account_finding_found_again_takes_its_latest_evidence(frozen_clock, edu_weibo):
    record_account_findings(account=edu_weibo, findings=[silence(20)], now=frozen_clock.current, window=WINDOW)
    frozen_clock.advance(days=1)
    later = (WINDOW[0] + timedelta(days=1), WINDOW[1] + timedelta(days=1))
    record_account_findings(account=edu_weibo, findings=[silence(21)], now=frozen_clock.current, window=later)
    finding = Finding.objects.get()
    assert finding.post is None and finding.summary == "自 2026-02-10 起连续 21 天未更新"
    assert finding.evidence["silent_days"] == 21 and finding.evidence["window_end"] == "2026-03-03"
    assert finding.evidence["found_at"] == frozen_clock.current.isoformat() and finding.times_found == 2


def test_the_same_key_on_two_accounts_is_two_findings(frozen_clock, edu_weibo, edu_wechat):
    for account in (edu_weibo, edu_wechat):
        record_account_findings(account=account, findings=[silence()], now=frozen_clock.current, window=WINDOW)
    assert Finding.objects.count() == 2


def test_fixing_a_finding_keeps_the_note_in_its_history_and_leaves_closed_ones_alone(frozen_clock, edu_weibo):
    found = record_account_findings(account=edu_weibo, findings=[silence()], now=frozen_clock.current,
                                    window=WINDOW).created
    fix_findings(found, now=frozen_clock.current, note="账号已恢复更新")
    fix_findings(found, now=frozen_clock.current, note="再次标记")
    finding = Finding.objects.get()
    assert finding.state == FindingState.FIXED and finding.state_reason == "账号已恢复更新"
    assert [e.note for e in FindingEvent.objects.filter(finding=finding, action="state")] == ["账号已恢复更新"]


def test_new_findings_and_their_history_are_in_the_audit_log(frozen_clock, post):
    [finding] = record_post_findings(post=post, findings=[typo()], now=frozen_clock.current).created
    assert AuditEntry.objects.filter(object_type="monitoring.Finding", object_id=str(finding.pk),
                                     action="create").exists()
    assert AuditEntry.objects.filter(object_type="monitoring.FindingEvent", action="create").exists()


def test_a_post_without_findings_costs_no_query_and_one_with_findings_a_bounded_few(
        frozen_clock, post, edu_unit_admin, django_assert_num_queries, django_assert_max_num_queries):
    with django_assert_num_queries(0):
        record_post_findings(post=post, findings=[], now=frozen_clock.current)
    many = [typo(start) for start in range(0, 40, 4)]
    with django_assert_max_num_queries(12):
        record_post_findings(post=post, findings=many, now=frozen_clock.current)
    with django_assert_max_num_queries(3):
        record_post_findings(post=post, findings=many, now=frozen_clock.advance(hours=1))
