"""The demo's review before publish (govmedia/demo/publishing.py): a month on two units' ledgers, each kind of
review the engine knows, and a draft waiting in every queue."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from govmedia import clock
from govmedia.monitoring.models import RepostTask
from govmedia.orgs.models import Role, User
from govmedia.publishing.models import (
    Decision,
    Draft,
    DraftKind,
    DraftState,
    Grade,
    LedgerAnchor,
    LedgerEntry,
    Origin,
    ReviewDecision,
)
from govmedia.publishing.selectors import emergency_reviews_overdue, pending_step, review_queue
from govmedia.publishing.services.ledger import units_with_ledgers, verify_chain
from govmedia.publishing.services.review import approved_source_names
from tests.demo.conftest import load

pytestmark = pytest.mark.django_db


def queue(username: str) -> list[Draft]:
    return list(review_queue(User.objects.get(username=username)))


def entries(unit_short_name: str):
    return LedgerEntry.objects.filter(unit__short_name=unit_short_name).order_by("sequence")


@pytest.mark.usefixtures("demo_output")
class TestTheDemoNewsroom:
    def test_two_units_have_a_month_of_published_items_on_their_ledgers(self):
        today = clock.today()
        for unit in ("教体局", "灵山卫"):
            recorded = [timezone.localdate(e.recorded_at) for e in entries(unit)]
            assert len(recorded) >= 5, unit
            assert today - timedelta(days=40) <= recorded[0] <= today - timedelta(days=20), unit
            assert recorded == sorted(recorded) and recorded[-1] < today, unit

    def test_each_ledger_runs_in_the_order_its_items_went_out_posts_and_replies_alike(self):
        for unit in units_with_ledgers():
            recorded = list(LedgerEntry.objects.filter(unit=unit).order_by("sequence")
                            .values_list("recorded_at", flat=True))
            assert recorded == sorted(recorded), unit
        kinds = set(LedgerEntry.objects.values_list("draft__kind", flat=True))
        assert kinds == {DraftKind.POST, DraftKind.REPLY}

    def test_ledger_verify_exits_0_and_counts_every_entry(self):
        out = io.StringIO()
        call_command("ledger", "verify", stdout=out)  # exits 1 (SystemExit) on a broken chain
        assert f"共 {LedgerEntry.objects.count()} 条" in out.getvalue()
        assert all(verify_chain(unit).intact for unit in units_with_ledgers())

    def test_every_past_day_since_the_first_entry_has_its_anchor(self):
        first = timezone.localdate(LedgerEntry.objects.order_by("recorded_at").first().recorded_at)
        days = set(LedgerAnchor.objects.values_list("day", flat=True))
        assert days == {first + timedelta(days=n) for n in range((clock.today() - first).days)}

    def test_each_published_item_has_its_url_and_time_after_its_approval(self):
        published = Draft.objects.filter(state=DraftState.PUBLISHED)
        assert published.count() == LedgerEntry.objects.count()
        for draft in published:
            assert draft.approved_at <= draft.published_at < clock.now()
            if draft.kind == DraftKind.POST:  # a reply sits under the message, at no address of its own
                assert draft.published_url.startswith("https://")
                assert draft.accounts.filter(host_unit=draft.unit).exists()

    def test_the_chains_on_the_ledger_follow_the_grade(self):
        steps = {grade: set() for grade in Grade.labels}
        for entry in LedgerEntry.objects.all():
            if not entry.content["emergency"]:
                steps[entry.content["grade"]].add(tuple(r["step"] for r in entry.content["reviews"]
                                                        if r["decision"] == "通过"))
        assert steps["一般"] == {("审核员审核",)}
        assert steps["敏感"] == {("审核员审核", "单位负责人签发")}
        assert steps["重大"] == {("审核员审核", "单位负责人签发", "区级审核")}

    def test_nobody_reviewed_their_own_draft(self):
        assert ReviewDecision.objects.exists()
        for decision in ReviewDecision.objects.select_related("step__draft"):
            assert decision.reviewer_id != decision.step.draft.author_id

    def test_one_item_was_rejected_then_resubmitted_and_published_as_version_2(self):
        entry = next(e for e in LedgerEntry.objects.all()
                     if any(r["decision"] == "退回" for r in e.content["reviews"]))
        assert entry.content["versions"] == 2
        assert [r["round"] for r in entry.content["reviews"]] == [1, 2]

    def test_one_item_kept_a_serious_finding_with_the_reviewers_reason(self):
        kept = [f for e in LedgerEntry.objects.all() for f in e.content["findings"]
                if f["handling"].startswith("保留：")]
        assert kept and kept[0]["category"] == "严重表述错误"

    def test_reposts_name_an_approved_source(self):
        reposts = Draft.objects.filter(state=DraftState.PUBLISHED, origin=Origin.REPOST)
        assert reposts.count() >= 2
        approved = approved_source_names()
        assert all(approved.match(draft.source_name) for draft in reposts)

    def test_the_emergency_release_is_published_and_its_full_review_is_overdue(self):
        supervisor = User.objects.get(username="supervisor")
        (overdue,) = emergency_reviews_overdue(supervisor, today=clock.today())
        assert overdue.state == DraftState.PUBLISHED and overdue.emergency_reason
        assert overdue in queue("edu_reviewer")

    def test_the_reviewers_and_heads_each_have_drafts_waiting(self):
        for username, role in (("edu_reviewer", Role.REVIEWER), ("lsw_reviewer", Role.REVIEWER),
                               ("edu_leader", Role.LEADER), ("lsw_leader", Role.LEADER)):
            waiting = [d for d in queue(username) if not d.emergency]
            assert waiting, username
            assert all(pending_step(d).role == role for d in waiting), username

    def test_a_major_item_waits_at_the_district_offices_step(self):
        (major,) = queue("supervisor")
        assert major.grade == Grade.MAJOR and pending_step(major).label == "区级审核"

    def test_the_author_has_a_rejected_draft_a_plain_draft_and_one_from_a_repost_task(self):
        author = User.objects.get(username="edu_operator")
        rejected = Draft.objects.get(author=author, state=DraftState.REJECTED)
        assert rejected.steps.filter(decisions__decision=Decision.REJECT).exists()
        plain = Draft.objects.filter(author=author, state=DraftState.DRAFT)
        assert plain.filter(repost_task__isnull=True, round=0).exists()
        from_task = plain.get(repost_task__isnull=False)
        assert from_task.repost_task in RepostTask.objects.filter(issued_at__lte=clock.now())
        assert from_task.origin == Origin.REPOST

    def test_nothing_is_dated_in_the_future(self):
        now = clock.now()
        assert not Draft.objects.filter(created_at__gt=now).exists()
        assert not ReviewDecision.objects.filter(at__gt=now).exists()
        assert not LedgerEntry.objects.filter(recorded_at__gt=now).exists()

    def test_loading_again_adds_no_drafts(self):
        before = (Draft.objects.count(), LedgerEntry.objects.count(), LedgerAnchor.objects.count())
        assert "演示数据已存在" in load()
        assert (Draft.objects.count(), LedgerEntry.objects.count(), LedgerAnchor.objects.count()) == before
