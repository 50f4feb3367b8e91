from datetime import date

import pytest

from govmedia.errors import PermissionDenied, RuleViolation
from govmedia.publishing.models import Draft, DraftState, LedgerEntry, PublishingSettings
from govmedia.publishing.selectors import emergency_reviews_overdue, pending_step, review_queue
from govmedia.publishing.services.drafts import draft_withdraw
from govmedia.publishing.services.ledger import verify_chain
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.review import draft_submit, review_approve, review_reject
from tests.publishing.factories import draft_for


@pytest.fixture
def released(frozen_clock, assigned_operator, edu_leader, edu_weibo):
    """A sensitive item released in an emergency on Monday 2026-03-02, signed by the unit head alone."""
    draft = draft_for(assigned_operator, edu_weibo, body="<p>关于群体性事件的情况通报</p>")
    draft = draft_submit(draft=draft, by=assigned_operator, emergency_reason="突发事件，须第一时间发布")
    assert list(draft.steps.values_list("label", flat=True)) == ["紧急发布（单位负责人）"]
    return review_approve(draft=draft, by=edu_leader, comment="同意紧急发布")


def test_the_unit_head_alone_releases_in_an_emergency_and_it_is_recorded(released, edu_reviewer):
    assert released.state == DraftState.APPROVED and released.emergency
    assert released.emergency_reason == "突发事件，须第一时间发布"
    assert released.full_review_due == date(2026, 3, 5)  # three working days
    assert pending_step(released).label == "审核员审核" and review_queue(edu_reviewer).get() == released


def test_only_the_unit_head_signs_an_emergency_release(frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    draft = draft_submit(draft=draft_for(assigned_operator, edu_weibo), by=assigned_operator,
                         emergency_reason="紧急")
    with pytest.raises(PermissionDenied):
        review_approve(draft=draft, by=edu_reviewer)


def test_the_full_review_completed_after_publication_goes_on_the_ledger(released, assigned_operator, edu_reviewer,
                                                                        edu_leader, frozen_clock, edu):
    draft = publication_record(draft=released, by=assigned_operator, url="https://weibo.com/xhaedu/1",
                               published_at=frozen_clock.current)
    frozen_clock.advance(days=1)
    draft = review_approve(draft=review_approve(draft=draft, by=edu_reviewer), by=edu_leader, comment="补审同意")
    assert draft.full_review_done_at == frozen_clock.current and draft.state == DraftState.PUBLISHED
    first, second = LedgerEntry.objects.filter(unit=edu).order_by("sequence")
    assert first.content["emergency"] and first.content["full_review_done_at"] == ""
    assert [r["step"] for r in second.content["reviews"]] == ["紧急发布（单位负责人）", "审核员审核", "单位负责人签发"]
    assert verify_chain(edu).verified == 2 and pending_step(draft) is None


def test_a_reject_in_the_full_review_completes_it_and_keeps_the_release(released, edu_reviewer):
    draft = review_reject(draft=released, by=edu_reviewer, comment="表述不妥，请删除后重发")
    assert draft.state == DraftState.APPROVED and draft.full_review_done_at is not None


def test_a_full_review_not_done_in_time_is_overdue_for_supervisors(released, frozen_clock, supervisor, edu_leader,
                                                                    street_leader):
    frozen_clock.set(date(2026, 3, 5))
    assert not emergency_reviews_overdue(supervisor, today=frozen_clock.today).exists()
    frozen_clock.set(date(2026, 3, 6))
    assert list(emergency_reviews_overdue(supervisor, today=frozen_clock.today)) == [released]
    assert list(emergency_reviews_overdue(edu_leader, today=frozen_clock.today)) == [released]
    assert not emergency_reviews_overdue(street_leader, today=frozen_clock.today).exists()


def test_the_district_sets_the_full_review_period(frozen_clock, assigned_operator, edu_leader, edu_weibo):
    PublishingSettings.objects.create(emergency_full_review_days=1)
    draft = draft_submit(draft=draft_for(assigned_operator, edu_weibo), by=assigned_operator, emergency_reason="紧急")
    assert review_approve(draft=draft, by=edu_leader).full_review_due == date(2026, 3, 3)
    assert Draft.objects.get(pk=draft.pk).round == 2


def test_an_emergency_release_cannot_be_withdrawn_while_its_full_review_is_pending(released, assigned_operator,
                                                                                    edu_reviewer, supervisor,
                                                                                    frozen_clock):
    with pytest.raises(RuleViolation, match="须在2026-03-05前完成补审，不能撤回"):
        draft_withdraw(draft=released, by=assigned_operator)
    draft = Draft.objects.get(pk=released.pk)
    assert draft.state == DraftState.APPROVED and review_queue(edu_reviewer).get() == draft
    frozen_clock.set(date(2026, 3, 6))
    assert list(emergency_reviews_overdue(supervisor, today=frozen_clock.today)) == [draft]


def test_an_emergency_release_may_be_withdrawn_once_its_full_review_is_done(released, assigned_operator,
                                                                            edu_reviewer):
    draft = review_reject(draft=released, by=edu_reviewer, comment="表述不妥，撤回")
    assert draft_withdraw(draft=draft, by=assigned_operator).state == DraftState.WITHDRAWN


def test_an_emergency_submission_not_yet_signed_may_be_withdrawn(frozen_clock, assigned_operator, edu_weibo):
    draft = draft_submit(draft=draft_for(assigned_operator, edu_weibo), by=assigned_operator, emergency_reason="紧急")
    assert draft_withdraw(draft=draft, by=assigned_operator).state == DraftState.WITHDRAWN
