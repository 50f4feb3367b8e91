"""Interaction (art. 14) and services (art. 12): the public's messages to an account and their replies, the
working-day reply limits, surveys with their public answers, and the services an account offers.

A message's reply deadline is not stored: it follows from its kind, the limit configured for that kind and
the working-day calendar, all of which can change, so `selectors.message_deadline` computes it each time.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from govmedia.registry.models import Account

TEXT_MAX = 5000  # characters of a message or a reply: the platforms' own limits are below this


class MessageKind(models.TextChoices):
    MESSAGE = "message", "留言"
    COMMENT = "comment", "评论"
    CONSULTATION = "consultation", "咨询"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"


class MessageChannel(models.TextChoices):
    IMPORT = "import", "导入"
    API = "api", "接口"
    MANUAL = "manual", "手工录入"


class MessageStatus(models.TextChoices):
    NEW = "new", "待分办"
    ASSIGNED = "assigned", "已分办"
    REPLIED = "replied", "已答复"
    FOLLOWED_UP = "followed_up", "已回访"
    CLOSED = "closed", "已办结"


# A message waiting for its answer: these count in the backlog and can be overdue.
OPEN_STATUSES = frozenset({MessageStatus.NEW, MessageStatus.ASSIGNED})


class Message(models.Model):
    """Something the public sent to an account. The sender's name and contact are personal data: only the
    account's unit (and supervisors) see them (selectors.messages_visible_to)."""

    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField("类型", max_length=20, choices=MessageKind.choices)
    channel = models.CharField("来源渠道", max_length=10, choices=MessageChannel.choices)
    platform_message_id = models.CharField("平台留言编号", max_length=100, blank=True)
    sender_name = models.CharField("留言人", max_length=40, blank=True)
    sender_contact = models.CharField("联系方式", max_length=60, blank=True)
    received_at = models.DateTimeField("收到时间")
    text = models.TextField("内容")
    status = models.CharField("状态", max_length=20, choices=MessageStatus.choices, default=MessageStatus.NEW)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="assigned_messages")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    follow_up_note = models.CharField("回访情况", max_length=500, blank=True)
    closed_reason = models.CharField("办结说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "互动留言"
        verbose_name_plural = "互动留言"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "platform_message_id"], name="one_message_per_platform_id",
                                    condition=~models.Q(platform_message_id="")),
        ]
        indexes = [models.Index(fields=["account", "status"]), models.Index(fields=["account", "received_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.text[:40]}"


class MessageEvent(models.Model):
    """A message's history: entered, kind changed, assigned, reply submitted and released, followed up, closed."""

    class Action(models.TextChoices):
        CREATED = "created", "收到"
        KIND = "kind", "变更类型"
        ASSIGN = "assign", "分办"
        REPLY_SUBMITTED = "reply_submitted", "答复提交审核"
        REPLY_APPROVED = "reply_approved", "答复审核通过"
        REPLY_RETURNED = "reply_returned", "答复被退回"
        REPLY_RELEASED = "reply_released", "答复发布"
        STATE = "state", "状态变更"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "留言处理记录"
        verbose_name_plural = "留言处理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class ReplyState(models.TextChoices):
    """A reply's state as shown: derived from its Draft's state in the review engine (Reply.state)."""

    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    REJECTED = "rejected", "已退回"
    APPROVED = "approved", "审核通过"
    RELEASED = "released", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


_REPLY_STATE_OF_DRAFT = {
    "draft": ReplyState.DRAFT,
    "in_review": ReplyState.IN_REVIEW,
    "rejected": ReplyState.REJECTED,
    "approved": ReplyState.APPROVED,
    "published": ReplyState.RELEASED,
    "withdrawn": ReplyState.WITHDRAWN,
}


class Reply(models.Model):
    """The unit's answer to a message. Its text is reviewed as a publishing Draft of kind REPLY (the shared
    review engine: chains, decisions, findings, the ledger); released, it answers the message."""

    message = models.OneToOneField(Message, verbose_name="留言", on_delete=models.CASCADE, related_name="reply")
    draft = models.OneToOneField("publishing.Draft", verbose_name="审核稿件", on_delete=models.PROTECT,
                                 related_name="reply")
    text = models.TextField("答复内容")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.PROTECT,
                               related_name="+")
    drafted_at = models.DateTimeField("撰写时间")
    editors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="撰写、修改过的人", blank=True,
                                     related_name="+")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"

    def __str__(self):
        return f"{self.get_state_display()}：{self.text[:40]}"

    @property
    def state(self) -> str:
        """Derived from the draft's state in the review engine, never stored (so it cannot drift)."""
        return _REPLY_STATE_OF_DRAFT[self.draft.state]

    def get_state_display(self) -> str:
        return ReplyState(self.state).label


class ReplyLimit(models.Model):
    """The district's reply limit for a kind of message, in working days; kinds without a row use
    selectors.DEFAULT_REPLY_LIMITS."""

    kind = models.CharField("留言类型", max_length=20, choices=MessageKind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        "答复时限（工作日）", validators=[MinValueValidator(1), MaxValueValidator(60)])

    class Meta:
        verbose_name = "答复时限"
        verbose_name_plural = "答复时限"
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.working_days} 个工作日"


# ---------------------------------------------------------------- surveys (征集调查)


def new_survey_token() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: the public link cannot be guessed


class Survey(models.Model):
    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField("标题", max_length=200)
    description = models.TextField("说明", blank=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    token = models.CharField("公开链接令牌", max_length=64, unique=True, default=new_survey_token, editable=False)
    per_ip_hourly_limit = models.PositiveSmallIntegerField(
        "每个IP每小时答卷上限", default=20, help_text="同一网络出口（如单位、学校）可能有多人作答，不宜过低")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "征集调查"
        verbose_name_plural = "征集调查"
        ordering = ["-opens_at", "-pk"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    TEXT = "text", "填空"


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=500)
    options = models.JSONField("选项", default=list, blank=True)
    required = models.BooleanField("必答", default=True)

    class Meta:
        verbose_name = "调查题目"
        verbose_name_plural = "调查题目"
        ordering = ["survey", "position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="one_question_per_position")]

    def __str__(self):
        return f"{self.position}. {self.text[:40]}"


class SurveyResponse(models.Model):
    """One browser's answers. Written by the public at any rate the guard allows: nobody's decision is in it,
    so it is not audited (like monitoring's posts). The IP is kept only as a keyed hash, for the limit."""

    AUDITED = False

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    browser_id = models.CharField(max_length=64)
    ip_hash = models.CharField(max_length=64)
    submitted_at = models.DateTimeField("提交时间")
    answers = models.JSONField("答案", default=dict)

    class Meta:
        verbose_name = "调查答卷"
        verbose_name_plural = "调查答卷"
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "browser_id"], name="one_response_per_browser")]
        indexes = [models.Index(fields=["survey", "ip_hash", "submitted_at"])]

    def __str__(self):
        return f"{self.survey}：{self.submitted_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------- services (art. 12)


class ServiceKind(models.TextChoices):
    LOOKUP = "lookup", "信息查询"
    PAYMENT = "payment", "在线缴费"
    APPOINTMENT = "appointment", "预约办理"
    CERTIFICATE = "certificate", "证照办理"
    OTHER = "other", "其他"


class AccountService(models.Model):
    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.CASCADE, related_name="services")
    kind = models.CharField("服务类型", max_length=20, choices=ServiceKind.choices)
    name = models.CharField("服务名称", max_length=100)
    url = models.URLField("链接", max_length=1000)

    class Meta:
        verbose_name = "账号服务"
        verbose_name_plural = "账号服务"
        ordering = ["account", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["account", "name"], name="one_service_name_per_account")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"
