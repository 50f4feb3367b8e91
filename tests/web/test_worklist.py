from datetime import timedelta

from django.test import Client

from govmedia.interaction.services.replies import reply_save_draft, reply_submit
from govmedia.publishing.models import Grade
from govmedia.publishing.services.review import review_approve, review_reject
from govmedia.web.worklist import worklist
from tests.interaction.factories import MessageFactory
from tests.publishing.factories import draft_for


def test_a_submitted_draft_waits_in_its_reviewers_list_and_not_in_another_units(
        frozen_clock, assigned_operator, edu_reviewer, street_reviewer, edu_weibo):
    draft_for(assigned_operator, edu_weibo, submit=True)
    assert worklist(edu_reviewer, frozen_clock.current.date()).to_review == 1
    assert worklist(street_reviewer, frozen_clock.current.date()).to_review == 0


def test_a_head_sees_a_sensitive_draft_as_one_to_sign_after_the_reviewer(
        frozen_clock, assigned_operator, edu_reviewer, edu_leader, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo, marked_grade=Grade.SENSITIVE, submit=True)
    today = frozen_clock.current.date()
    assert (worklist(edu_leader, today).to_review, worklist(edu_leader, today).to_sign) == (0, 0)
    review_approve(draft=draft, by=edu_reviewer)
    assert (worklist(edu_leader, today).to_review, worklist(edu_leader, today).to_sign) == (1, 1)


def test_an_unsubmitted_draft_is_one_for_its_author_to_finish(frozen_clock, assigned_operator, edu_weibo):
    draft_for(assigned_operator, edu_weibo)
    assert worklist(assigned_operator, frozen_clock.current.date()).drafts_to_finish == 1


def test_waiting_and_overdue_messages_are_counted_for_whoever_handles_them(
        frozen_clock, assigned_operator, street_operator, edu_weibo):
    MessageFactory(account=edu_weibo)
    MessageFactory(account=edu_weibo, received_at=frozen_clock.current - timedelta(days=60))
    today = frozen_clock.current.date()
    mine = worklist(assigned_operator, today)
    assert (mine.messages_waiting, mine.messages_overdue) == (2, 1)
    theirs = worklist(street_operator, today)
    assert (theirs.messages_waiting, theirs.messages_overdue) == (0, 0)


def test_only_those_who_watch_overdue_reviews_are_given_the_count(frozen_clock, supervisor, assigned_operator):
    today = frozen_clock.current.date()
    assert worklist(supervisor, today).reviews_overdue == 0
    assert worklist(assigned_operator, today).reviews_overdue is None


def test_the_dashboard_and_the_navigation_show_the_review_count(frozen_clock, assigned_operator, edu_reviewer,
                                                                edu_weibo):
    draft_for(assigned_operator, edu_weibo, submit=True)
    client = Client()
    client.force_login(edu_reviewer)
    page = client.get("/").content.decode()
    assert 'id="to-review">1<' in page
    assert 'id="review-count">1<' in page


def test_the_message_count_is_what_the_message_list_shows_by_default(frozen_clock, supervisor, edu_unit_admin,
                                                                     assigned_operator, edu_reviewer, edu_weibo):
    from django.urls import reverse

    from govmedia.interaction.models import MessageStatus
    from tests.monitoring.pages import client_for

    MessageFactory(account=edu_weibo)
    MessageFactory(account=edu_weibo, assignee=edu_reviewer, status=MessageStatus.ASSIGNED)
    MessageFactory(account=edu_weibo, status=MessageStatus.REPLIED, replied_at=frozen_clock.current)
    today = frozen_clock.current.date()
    for user in (supervisor, edu_unit_admin, assigned_operator, edu_reviewer):
        listed = client_for(user).get(reverse("interaction:messages")).context["page"].paginator.count
        assert worklist(user, today).messages_waiting == listed
    assert worklist(supervisor, today).messages_waiting == 2


def test_a_returned_reply_counts_as_the_authors_to_finish_and_is_listed_with_its_message(
        frozen_clock, assigned_operator, edu_reviewer, edu_weibo):
    message = MessageFactory(account=edu_weibo)
    reply = reply_submit(reply=reply_save_draft(message=message, by=assigned_operator, text="您好，已转相关科室办理。"),
                         by=assigned_operator)
    review_reject(draft=reply.draft, by=edu_reviewer, comment="请写明办理时限")
    assert worklist(assigned_operator, frozen_clock.current.date()).drafts_to_finish == 1
    client = Client()
    client.force_login(assigned_operator)
    page = client.get("/publishing/drafts/").content.decode()
    assert 'id="returned-replies"' in page
    assert f'href="/interaction/messages/{message.pk}/"' in page
