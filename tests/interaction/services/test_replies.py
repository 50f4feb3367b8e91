"""A reply goes through the publishing review engine: drafted by whoever handles the message (held by a Draft of
kind REPLY), submitted to the unit's chain, approved or rejected in the normal review queue by someone who wrote
none of it, then released, which publishes the Draft onto the ledger and answers the message at that moment."""

import pytest

from govmedia.audit.models import AuditEntry
from govmedia.errors import Conflict, PermissionDenied, RuleViolation, ValidationError
from govmedia.interaction.models import Message, MessageEvent, MessageStatus, Reply, ReplyState
from govmedia.interaction.services.messages import message_close
from govmedia.interaction.services.replies import reply_release, reply_save_draft, reply_submit
from govmedia.orgs.models import Role
from govmedia.publishing.models import DraftKind, DraftState, LedgerEntry
from govmedia.publishing.selectors import review_queue
from govmedia.publishing.services.drafts import draft_edit, draft_withdraw
from govmedia.publishing.services.ledger import verify_chain
from govmedia.publishing.services.publication import publication_match, publication_record
from govmedia.publishing.services.review import review_approve, review_reject
from tests.factories import UserFactory
from tests.interaction.factories import MessageFactory
from tests.monitoring.factories import PostFactory
from tests.registry.services.helpers import fresh
from tests.threads import at_once

pytestmark = pytest.mark.django_db

TEXT = "今年招生范围与去年相同，详见教体局官网公告。"


@pytest.fixture
def message(frozen_clock, edu_weibo):
    return MessageFactory(account=edu_weibo, text="请问第一小学今年的招生范围是否有变化？学区划分是否调整？谢谢解答")


@pytest.fixture
def draft(message, assigned_operator):
    return reply_save_draft(message=message, by=assigned_operator, text=TEXT)


@pytest.fixture
def submitted(draft, assigned_operator):
    return reply_submit(reply=draft, by=assigned_operator)


def test_a_reply_is_held_by_a_reply_draft_of_the_accounts_unit(draft, message, edu_weibo, assigned_operator):
    d = fresh(draft).draft
    assert (d.kind, d.unit_id, list(d.accounts.all()), d.author, d.state) == (
        DraftKind.REPLY, edu_weibo.host_unit_id, [edu_weibo], assigned_operator, DraftState.DRAFT)
    assert d.title == "答复：" + message.text[:30]
    assert d.body_html == f"<p>{TEXT}</p>" and d.current_version.number == 1
    assert fresh(draft).state == ReplyState.DRAFT


def test_the_reply_text_is_escaped_into_paragraphs(message, assigned_operator):
    reply = reply_save_draft(message=message, by=assigned_operator, text="第一段<script>x</script>\n\n第二段 & 其他")
    assert reply.draft.body_html == "<p>第一段&lt;script&gt;x&lt;/script&gt;</p><p>第二段 &amp; 其他</p>"


def test_a_reply_goes_through_the_review_queue_and_its_release_answers_the_message(
        frozen_clock, submitted, edu_reviewer, assigned_operator):
    assert list(review_queue(edu_reviewer)) == [submitted.draft]
    assert fresh(submitted).state == ReplyState.IN_REVIEW
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    assert fresh(submitted).state == ReplyState.APPROVED
    frozen_clock.advance(hours=1)
    reply_release(reply=fresh(submitted), by=assigned_operator)
    reply = fresh(submitted)
    assert (reply.state, reply.released_by, reply.released_at) == (
        ReplyState.RELEASED, assigned_operator, frozen_clock.current)
    assert (reply.draft.state, reply.draft.published_at, reply.draft.published_url) == (
        DraftState.PUBLISHED, frozen_clock.current, "")
    message = fresh(reply.message)
    assert (message.status, message.replied_at) == (MessageStatus.REPLIED, frozen_clock.current)
    actions = list(MessageEvent.objects.filter(message=message).values_list("action", "to_state"))
    assert actions == [("reply_submitted", ""), ("reply_approved", ""), ("reply_released", "replied")]
    assert AuditEntry.objects.filter(object_type="interaction.Reply", object_id=str(reply.pk)).exists()


def test_the_reviewers_approval_and_return_of_a_reply_are_written_into_the_messages_history(
        frozen_clock, submitted, edu_reviewer, assigned_operator):
    review_reject(draft=fresh(submitted).draft, by=edu_reviewer, comment="请补充报名网址")
    reply_save_draft(message=submitted.message, by=assigned_operator, text=TEXT + "网址见官网")
    reply_submit(reply=fresh(submitted), by=assigned_operator)
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer, comment="同意")
    events = [(e.action, e.actor, e.note) for e in MessageEvent.objects.filter(message=submitted.message)]
    assert events == [
        ("reply_submitted", assigned_operator, "第1轮审核"),
        ("reply_returned", edu_reviewer, "第1轮审核退回：请补充报名网址"),
        ("reply_submitted", assigned_operator, "第2轮审核"),
        ("reply_approved", edu_reviewer, "第2轮审核通过：同意"),
    ]


def test_a_posts_review_writes_nothing_into_any_messages_history(frozen_clock, message, edu_reviewer,
                                                                   assigned_operator, edu_weibo):
    from govmedia.publishing.services.review import draft_submit
    from tests.publishing.factories import draft_for

    post = draft_submit(draft=draft_for(assigned_operator, edu_weibo), by=assigned_operator)
    review_reject(draft=post, by=edu_reviewer, comment="标题有误")
    assert not MessageEvent.objects.exists()


def test_a_released_reply_is_one_entry_on_the_units_ledger(submitted, edu_reviewer, assigned_operator, edu):
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    reply_release(reply=fresh(submitted), by=assigned_operator)
    entry = LedgerEntry.objects.get(draft=submitted.draft)
    assert (entry.unit, entry.content["title"], entry.content["reviews"][0]["reviewer"]) == (
        edu, submitted.draft.title, edu_reviewer.display_name)
    assert verify_chain(edu).intact


def test_the_released_text_is_the_one_the_reviewers_approved(draft, edu_reviewer, assigned_operator):
    draft_edit(draft=draft.draft, by=assigned_operator, title=draft.draft.title, body_html="<p>在稿件页面改过的答复</p>")
    reply_submit(reply=fresh(draft), by=assigned_operator)
    review_approve(draft=fresh(draft).draft, by=edu_reviewer)
    reply_release(reply=fresh(draft), by=assigned_operator)
    assert fresh(draft).text == "在稿件页面改过的答复"


def test_a_reply_is_not_released_before_approval(submitted, assigned_operator):
    with pytest.raises(ValidationError) as refused:
        reply_release(reply=submitted, by=assigned_operator)
    assert refused.value.message_dict == {"state": ["“审核中”的答复不能发布：须先审核通过。"]}
    assert fresh(submitted.message).status == MessageStatus.NEW


def test_a_rejected_reply_returns_to_its_author_who_edits_and_resubmits(submitted, edu_reviewer, assigned_operator):
    review_reject(draft=fresh(submitted).draft, by=edu_reviewer, comment="请补充官网公告的链接")
    assert fresh(submitted).state == ReplyState.REJECTED
    reply_save_draft(message=submitted.message, by=assigned_operator, text=TEXT + "链接：jyj.example.cn")
    reply_submit(reply=fresh(submitted), by=assigned_operator)
    draft = fresh(submitted).draft
    assert (draft.state, draft.round, draft.current_version.number) == (DraftState.IN_REVIEW, 2, 2)
    assert draft.current_version.body_text.endswith("链接：jyj.example.cn")


def test_the_author_cannot_review_their_own_reply(message, edu, edu_reviewer):
    colleague = UserFactory(unit=edu, role=Role.REVIEWER)
    reply = reply_submit(reply=reply_save_draft(message=message, by=edu_reviewer, text="已转相关科室办理。"),
                         by=edu_reviewer)
    assert (list(review_queue(edu_reviewer)), list(review_queue(colleague))) == ([], [reply.draft])
    with pytest.raises(PermissionDenied):
        review_approve(draft=reply.draft, by=edu_reviewer)


def test_nobody_who_edited_the_reply_reviews_it(frozen_clock, draft, edu, edu_reviewer, assigned_operator):
    colleague = UserFactory(unit=edu, role=Role.REVIEWER)
    reply_save_draft(message=draft.message, by=edu_reviewer, text="审核员改写的答复")
    reply = reply_save_draft(message=draft.message, by=assigned_operator, text="撰写人再改回的答复")
    reply_submit(reply=reply, by=assigned_operator)
    assert (list(review_queue(edu_reviewer)), list(review_queue(colleague))) == ([], [reply.draft])
    with pytest.raises(PermissionDenied):
        review_approve(draft=fresh(reply).draft, by=edu_reviewer)
    assert fresh(reply).state == ReplyState.IN_REVIEW
    review_approve(draft=fresh(reply).draft, by=colleague)
    assert fresh(reply).state == ReplyState.APPROVED


def test_a_chain_left_without_a_reviewer_who_did_not_edit_is_refused_at_submission(draft, edu_reviewer):
    reply = reply_save_draft(message=draft.message, by=edu_reviewer, text="审核员改写的答复")
    reply_save_draft(message=draft.message, by=draft.author, text="撰写人再改回的答复")
    with pytest.raises(RuleViolation, match="撰写、修改过答复的人不能审核"):
        reply_submit(reply=fresh(reply), by=draft.author)
    assert fresh(reply).state == ReplyState.DRAFT


def test_whoever_rewrites_the_reply_becomes_its_author_and_submits_it(draft, edu_reviewer, assigned_operator):
    reply_save_draft(message=draft.message, by=edu_reviewer, text="修改后的答复")
    reply = fresh(draft)
    assert (reply.text, reply.author, reply.draft.author) == ("修改后的答复", edu_reviewer, edu_reviewer)
    with pytest.raises(PermissionDenied):
        reply_submit(reply=reply, by=assigned_operator)


def test_a_reply_in_review_or_approved_is_not_rewritten(submitted, edu_reviewer, assigned_operator):
    with pytest.raises(Conflict):
        reply_save_draft(message=submitted.message, by=assigned_operator, text="偷偷改一下")
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    with pytest.raises(Conflict):
        reply_save_draft(message=submitted.message, by=assigned_operator, text="偷偷改一下")
    assert fresh(submitted).text == TEXT


def test_a_withdrawn_reply_starts_over_on_a_new_draft(draft, assigned_operator):
    old = draft.draft
    draft_withdraw(draft=old, by=assigned_operator)
    reply = reply_save_draft(message=draft.message, by=assigned_operator, text="重新撰写的答复")
    assert reply.draft_id != old.pk and reply.state == ReplyState.DRAFT


def test_a_reply_is_released_from_its_message_not_recorded_as_a_post(submitted, edu_reviewer, assigned_operator,
                                                                     frozen_clock):
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    with pytest.raises(RuleViolation):
        publication_record(draft=fresh(submitted).draft, by=assigned_operator, url="https://weibo.com/1/2",
                           published_at=frozen_clock.current)
    assert fresh(submitted).state == ReplyState.APPROVED


def test_a_post_titled_like_an_approved_reply_does_not_publish_it(submitted, edu_reviewer, edu_weibo, frozen_clock):
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    frozen_clock.advance(hours=1)
    post = PostFactory(account=edu_weibo, title=submitted.draft.title, url="https://weibo.com/xhaedu/7",
                       first_seen=frozen_clock.current)
    assert publication_match(post=post, now=frozen_clock.current) is None
    assert fresh(submitted).state == ReplyState.APPROVED


def test_another_units_staff_cannot_draft_submit_or_release(message, submitted, edu_reviewer, street_unit_admin):
    with pytest.raises(PermissionDenied):
        reply_save_draft(message=message, by=street_unit_admin, text="外单位的答复")
    with pytest.raises(PermissionDenied):
        reply_submit(reply=submitted, by=street_unit_admin)
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    with pytest.raises(PermissionDenied):
        reply_release(reply=fresh(submitted), by=street_unit_admin)


def test_a_reply_is_checked_and_a_closed_message_takes_none(message, assigned_operator, edu_unit_admin):
    with pytest.raises(ValidationError) as refused:
        reply_save_draft(message=message, by=assigned_operator, text="答" * 5001)
    assert refused.value.message_dict == {"text": ["答复内容不能超过 5,000 字（现为 5,001 字）。"]}
    message_close(message=message, by=edu_unit_admin, reason="重复留言")
    with pytest.raises(ValidationError):
        reply_save_draft(message=fresh(message), by=assigned_operator, text="答复")
    assert not Reply.objects.exists()


def test_a_reply_to_a_message_closed_meanwhile_is_not_released(submitted, edu_reviewer, edu_unit_admin,
                                                               assigned_operator):
    review_approve(draft=fresh(submitted).draft, by=edu_reviewer)
    message_close(message=submitted.message, by=edu_unit_admin, reason="群众撤回留言")
    with pytest.raises(Conflict):
        reply_release(reply=fresh(submitted), by=assigned_operator)
    assert fresh(submitted).state == ReplyState.APPROVED  # the whole release was undone
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_releases_at_once_exactly_one_is_recorded(frozen_clock, edu_weibo, assigned_operator, edu_reviewer,
                                                         edu_unit_admin):
    message = MessageFactory(account=edu_weibo)
    reply = reply_submit(reply=reply_save_draft(message=message, by=assigned_operator, text="答复"),
                         by=assigned_operator)
    review_approve(draft=fresh(reply).draft, by=edu_reviewer)

    def releasing(user):
        def prepare():
            loaded = Reply.objects.select_related("message__account", "draft").get(pk=reply.pk)
            return lambda: reply_release(reply=loaded, by=user)
        return prepare

    results = at_once(releasing(assigned_operator), releasing(edu_unit_admin))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), results
    assert LedgerEntry.objects.filter(draft=reply.draft).count() == 1
    assert Message.objects.get(pk=message.pk).status == MessageStatus.REPLIED
