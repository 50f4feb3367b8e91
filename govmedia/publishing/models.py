"""Review before publish (art. 8, 13) and the review ledger (信息审核发布登记台账).

The review engine's subject is a Draft. A Draft's `kind` says what it is: a post for the unit's accounts, or
(later, from govmedia.interaction) a reply to a message from the public; both go through the same chains,
steps and decisions, so the interaction app creates a Draft of kind REPLY and links its message to it.
"""

import uuid

from django.conf import settings
from django.db import models

from govmedia.orgs.models import Role, Unit
from govmedia.registry.models import Account


class DraftKind(models.TextChoices):
    POST = "post", "信息"
    REPLY = "reply", "回复"


class Origin(models.TextChoices):
    ORIGINAL = "original", "原创"
    REPOST = "repost", "转载"


class Grade(models.TextChoices):
    ROUTINE = "routine", "一般"
    SENSITIVE = "sensitive", "敏感"
    MAJOR = "major", "重大"


GRADE_RANK = {Grade.ROUTINE: 0, Grade.SENSITIVE: 1, Grade.MAJOR: 2}


class DraftState(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    REJECTED = "rejected", "已退回"
    APPROVED = "approved", "已通过"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Draft(models.Model):
    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰稿人", on_delete=models.PROTECT,
                               related_name="drafts")
    kind = models.CharField("类型", max_length=10, choices=DraftKind.choices, default=DraftKind.POST)
    title = models.CharField("标题", max_length=300)
    body_html = models.TextField("正文（HTML，已净化）", blank=True)
    body_text = models.TextField("正文（纯文本）", blank=True)
    accounts = models.ManyToManyField(Account, verbose_name="发布账号", related_name="drafts", blank=True)
    origin = models.CharField("来源", max_length=10, choices=Origin.choices, default=Origin.ORIGINAL)
    source_name = models.CharField("转载来源", max_length=200, blank=True)
    repost_task = models.ForeignKey("monitoring.RepostTask", verbose_name="转载任务", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="drafts")
    marked_grade = models.CharField("标定等级", max_length=10, choices=Grade.choices, default=Grade.ROUTINE,
                                    help_text="撰稿人或审核人标定；检查发现敏感话题时至少为“敏感”")
    grade = models.CharField("审核等级", max_length=10, choices=Grade.choices, default=Grade.ROUTINE)
    state = models.CharField("状态", max_length=10, choices=DraftState.choices, default=DraftState.DRAFT)
    # Bumped by every review action: the conditional UPDATE on it is the lock two reviewers race for.
    revision = models.PositiveIntegerField(default=0, editable=False)
    round = models.PositiveIntegerField("审核轮次", default=0)
    emergency = models.BooleanField("紧急发布", default=False)
    emergency_reason = models.CharField("紧急发布事由", max_length=500, blank=True)
    full_review_due = models.DateField("补审期限", null=True, blank=True)
    full_review_done_at = models.DateTimeField("补审完成时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("修改时间")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("通过时间", null=True, blank=True)
    published_url = models.URLField("发布链接", max_length=1000, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_post = models.ForeignKey("monitoring.Post", verbose_name="监测到的信息", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self):
        return self.title

    @property
    def current_version(self) -> "DraftVersion":
        return self.versions.order_by("-number").first()


class DraftVersion(models.Model):
    """The draft's text as it stood at one point; every edit after submission makes a new one."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=300)
    body_html = models.TextField("正文（HTML，已净化）", blank=True)
    body_text = models.TextField("正文（纯文本）", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "稿件版本"
        verbose_name_plural = "稿件版本"
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="one_version_number_per_draft")]

    def __str__(self):
        return f"{self.draft.title} 第{self.number}版"


# Fixed or kept with a reason before the last approval. Commercial advertising is serious too (art. 9: no
# commercial ads on government accounts); the checker reports an advertising-law superlative next to a commercial
# cue (advertising_context) as ``advertising``. A prohibited term in an enforcement sentence
# (prohibited_mention) is only a note.
SERIOUS_CATEGORIES = ("expression_error", "prohibited", "secret_marking", "advertising")


class VersionFinding(models.Model):
    """What the content checker found in one version (title line, then the body; offsets into `check_text`)."""

    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField("类别", max_length=30)
    severity = models.CharField("严重程度", max_length=10)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField("原文", max_length=200)
    suggestion = models.CharField("建议", max_length=200, blank=True)
    explanation = models.CharField("说明", max_length=500, blank=True)
    rule = models.CharField("规则", max_length=200, blank=True)

    class Meta:
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"
        ordering = ["version", "start", "pk"]

    def __str__(self):
        return f"{self.category}: {self.text}"

    @property
    def is_serious(self) -> bool:
        return self.category in SERIOUS_CATEGORIES


class FindingAcceptance(models.Model):
    """A reviewer keeps a serious finding, with a reason (e.g. a quotation). It covers what the reviewer saw:
    the `occurrences` of these words in the `version` it was accepted on. A later version with no more of
    them stays covered; one with more needs a new acceptance (selectors.unresolved_serious_findings)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="acceptances")
    version = models.ForeignKey(DraftVersion, verbose_name="保留时的版本", on_delete=models.CASCADE,
                                related_name="acceptances")
    category = models.CharField("类别", max_length=30)
    text = models.CharField("原文", max_length=200)
    occurrences = models.PositiveIntegerField("保留时出现次数", default=1)
    reason = models.CharField("理由", max_length=500)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "保留说明"
        verbose_name_plural = "保留说明"
        constraints = [models.UniqueConstraint(fields=["version", "category", "text"],
                                               name="one_acceptance_per_version")]

    def __str__(self):
        return f"{self.text}：{self.reason}"


class StepMode(models.TextChoices):
    ANY = "any", "任一人通过"
    ALL = "all", "全部通过"


class ChainStep(models.Model):
    """One step of a unit's configured chain for a grade. A unit without steps for a grade uses the defaults
    (services.chains.DEFAULT_CHAINS)."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="chain_steps")
    grade = models.CharField("审核等级", max_length=10, choices=Grade.choices)
    order = models.PositiveSmallIntegerField("顺序")
    label = models.CharField("名称", max_length=40)
    role = models.CharField("审核角色", max_length=20, choices=Role.choices, blank=True,
                            help_text="留空则只由指定人员审核")
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="指定人员", blank=True, related_name="+")
    mode = models.CharField("通过方式", max_length=5, choices=StepMode.choices, default=StepMode.ANY)

    class Meta:
        verbose_name = "审核流程步骤"
        verbose_name_plural = "审核流程步骤"
        ordering = ["unit", "grade", "order"]
        constraints = [models.UniqueConstraint(fields=["unit", "grade", "order"], name="one_chain_step_per_order")]

    def __str__(self):
        return f"{self.unit} {self.get_grade_display()} {self.order}. {self.label}"


class StepState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "通过"
    REJECTED = "rejected", "退回"


class ReviewStep(models.Model):
    """A step of one review round of a draft, copied from the chain when the draft was submitted."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveIntegerField("轮次")
    order = models.PositiveSmallIntegerField("顺序")
    label = models.CharField("名称", max_length=40)
    role = models.CharField("审核角色", max_length=20, choices=Role.choices, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="指定人员", blank=True, related_name="+")
    mode = models.CharField("通过方式", max_length=5, choices=StepMode.choices, default=StepMode.ANY)
    state = models.CharField("状态", max_length=10, choices=StepState.choices, default=StepState.PENDING)
    decided_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核步骤"
        verbose_name_plural = "审核步骤"
        ordering = ["draft", "round", "order"]
        constraints = [models.UniqueConstraint(fields=["draft", "round", "order"], name="one_step_per_order")]

    def __str__(self):
        return f"{self.draft} 第{self.round}轮 {self.order}. {self.label}"


class Decision(models.TextChoices):
    APPROVE = "approve", "通过"
    REJECT = "reject", "退回"


class ReviewDecision(models.Model):
    step = models.ForeignKey(ReviewStep, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT,
                                 related_name="+")
    decision = models.CharField("意见", max_length=10, choices=Decision.choices)
    comment = models.CharField("审核意见", max_length=1000, blank=True)
    version = models.ForeignKey(DraftVersion, verbose_name="审核版本", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["step", "reviewer"], name="one_decision_per_reviewer")]

    def __str__(self):
        return f"{self.reviewer} {self.get_decision_display()}"


class PublishingSettings(models.Model):
    """District-wide settings of review before publish (one row)."""

    emergency_full_review_days = models.PositiveSmallIntegerField("紧急发布补审期限（工作日）", default=3)

    class Meta:
        verbose_name = "审核发布设置"
        verbose_name_plural = "审核发布设置"

    def __str__(self):
        return "审核发布设置"


class LedgerHead(models.Model):
    """The newest entry of a unit's ledger chain: appends lock this row, so a unit's sequence has no gaps,
    and deleting the newest entry leaves the head pointing past the end."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="ledger_head")
    sequence = models.PositiveIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "台账链头"
        verbose_name_plural = "台账链头"

    def __str__(self):
        return f"{self.unit} #{self.sequence}"


class LedgerEntry(models.Model):
    """One published item on the unit's ledger. `hash` covers the unit, `sequence`, the draft, `recorded_at`,
    `content` and `previous_hash` (services.ledger), so an edit, a deletion or a reordering of rows is found
    by services.ledger.verify_chain. The draft is protected: deleting it would change a hashed field."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="ledger_entries")
    sequence = models.PositiveIntegerField("序号")
    draft = models.ForeignKey(Draft, verbose_name="稿件", null=True, on_delete=models.PROTECT,
                              related_name="ledger_entries")
    content = models.JSONField("内容")
    previous_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "审核发布台账"
        verbose_name_plural = "审核发布台账"
        ordering = ["unit", "sequence"]
        constraints = [models.UniqueConstraint(fields=["unit", "sequence"], name="one_ledger_sequence_per_unit")]

    def __str__(self):
        return f"{self.unit} 第{self.sequence}条"


class LedgerAnchor(models.Model):
    """The day's anchor: a hash over every unit's chain head at the end of the day, for supervisors to note
    outside the system."""

    day = models.DateField("日期", unique=True)
    digest = models.CharField("锚定哈希", max_length=64)
    heads = models.JSONField("各单位链头")
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "台账每日锚定"
        verbose_name_plural = "台账每日锚定"
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {self.digest[:12]}"


def attachment_path(attachment: "DraftAttachment", filename: str) -> str:
    """A name of our making: the uploader's file name is kept in the row, never on the disk."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"drafts/{attachment.draft_id}/{uuid.uuid4().hex}.{suffix}"


class DraftAttachment(models.Model):
    """A file that goes with a draft (a notice in PDF, a table, a picture): reviewers see it with the text.
    Checked by extension and content (services.attachments); served only through the permission-checked view."""

    draft = models.ForeignKey(Draft, verbose_name="稿件", on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "稿件附件"
        verbose_name_plural = "稿件附件"
        ordering = ["draft", "uploaded_at", "pk"]

    def __str__(self):
        return self.name
