"""The account registry: every field of attachment 1 (备案登记表), its lifecycle and filings."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from govmedia.orgs.models import Person, Unit


class Platform(models.Model):
    """A publishing platform. The list is data, so a district can add new platforms in the admin.

    `exclusivity_key` carries art. 5 ("一个单位在同一新媒体平台只能开设一个政务新媒体账号"):
    platforms sharing a key count as one platform. WeChat service and subscription accounts
    share the key "wechat-oa": both are 公众号 on the same WeChat platform and a unit may hold only
    one of them. A mini program is a separate service channel with its own key.
    """

    class Family(models.TextChoices):
        WEIBO = "weibo", "微博"
        WECHAT = "wechat", "微信"
        WEISHI = "weishi", "微视"
        APP = "app", "移动客户端（APP）"
        OTHER = "other", "其他类型"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("平台名称", max_length=40, unique=True)
    family = models.CharField("表内类别", max_length=10, choices=Family.choices)
    exclusivity_key = models.CharField(
        "同一平台判定键", max_length=40, help_text="键相同的平台视为同一平台，一个单位只能开设一个账号"
    )
    account_type_label = models.CharField("公众号类型", max_length=20, blank=True, help_text="如 服务号、订阅号、小程序")
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("可选", default=True)

    class Meta:
        verbose_name = "平台"
        verbose_name_plural = "平台"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class AccountStatus(models.TextChoices):
    PENDING = "pending", "开设审批中"
    NORMAL = "normal", "正常"
    CLOSING = "closing", "关停公示中"
    CLOSED = "closed", "关停"
    CANCELLED = "cancelled", "注销"
    REJECTED = "rejected", "开设未获批准"


LIVE_STATUSES = (AccountStatus.PENDING, AccountStatus.NORMAL, AccountStatus.CLOSING)


class Account(models.Model):
    account_id = models.CharField("账号ID", max_length=100)
    name = models.CharField("账号名称", max_length=100)
    platform = models.ForeignKey(Platform, verbose_name="发布平台", on_delete=models.PROTECT, related_name="accounts")
    registered_on = models.DateField("创建/注册日期", null=True, blank=True)
    registrant_kind = models.CharField(
        "注册主体", max_length=12, choices=[("organisation", "单位"), ("individual", "个人")], default="organisation",
        help_text="平台登记的账号主体；以个人身份注册的账号不得作为政务新媒体（第五条）",
    )
    is_verified = models.BooleanField("是否通过认证", default=False)
    has_news_licence = models.BooleanField("是否取得互联网新闻信息服务资质", default=False)

    competent_unit = models.ForeignKey(Unit, verbose_name="主管单位", on_delete=models.PROTECT, related_name="+")
    host_unit = models.ForeignKey(Unit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="hosted_accounts")
    host_leader_name = models.CharField("主办单位分管领导", max_length=40, blank=True)
    host_leader_title = models.CharField("主办单位分管领导职务", max_length=60, blank=True)
    host_leader_contact = models.CharField("主办单位联系电话及方式", max_length=60, blank=True)
    operating_unit = models.ForeignKey(
        Unit, verbose_name="承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="operated_accounts"
    )
    operating_leader_name = models.CharField("承办单位分管领导", max_length=40, blank=True)
    operating_leader_title = models.CharField("承办单位分管领导职务", max_length=60, blank=True)
    operating_leader_contact = models.CharField("承办单位联系电话及方式", max_length=60, blank=True)

    qr_code = models.ImageField("新媒体二维码", upload_to="qr/", blank=True)
    introduction = models.TextField("基本情况介绍", blank=True)
    access_url = models.URLField("访问链接", max_length=500, blank=True)

    live_on = models.DateField("正式运营时间", null=True, blank=True)
    status = models.CharField("运行状态", max_length=12, choices=AccountStatus.choices, default=AccountStatus.PENDING)
    responsible_person = models.ForeignKey(
        Person, verbose_name="账号具体责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="运维人员", blank=True, related_name="operated_accounts"
    )
    provincial_filing_no = models.CharField("省备案系统编号", max_length=60, blank=True)
    provincial_filed_on = models.DateField("省备案日期", null=True, blank=True)

    host_opinion_signer = models.CharField("主办单位意见签字人", max_length=40, blank=True)
    host_opinion_on = models.DateField("主办单位意见日期", null=True, blank=True)
    competent_opinion_signer = models.CharField("主管单位意见签字人", max_length=40, blank=True)
    competent_opinion_on = models.DateField("主管单位意见日期", null=True, blank=True)

    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政务新媒体账号"
        verbose_name_plural = "政务新媒体账号"
        ordering = ["host_unit__name", "platform__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "account_id"], name="account_id_unique_per_platform"),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["host_unit", "status"])]

    def __str__(self):
        return f"{self.name}（{self.platform.name}）"

    def get_absolute_url(self):
        return reverse("account_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class ColumnMenu(models.Model):
    """栏目设置: one row of the form's menu table (name, level 1/2/3 menu, remark)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField("名称", max_length=60, blank=True)
    level1 = models.CharField("一级菜单", max_length=60)
    level2 = models.CharField("二级菜单", max_length=60, blank=True)
    level3 = models.CharField("三级菜单", max_length=60, blank=True)
    remark = models.CharField("备注", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目设置"
        ordering = ["position", "pk"]

    def __str__(self):
        return " / ".join(p for p in (self.level1, self.level2, self.level3) if p)


class TeamMember(models.Model):
    """管理队伍（主要成员）."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team")
    name = models.CharField("管理员姓名", max_length=40)
    unit_and_title = models.CharField("所在单位及职务", max_length=100)
    office_phone = models.CharField("办公电话", max_length=30, blank=True)
    mobile = models.CharField("手机号码", max_length=20, blank=True)

    class Meta:
        verbose_name = "管理队伍成员"
        verbose_name_plural = "管理队伍"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class FollowerSnapshot(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="follower_snapshots")
    taken_on = models.DateField("日期")
    followers = models.PositiveIntegerField("关注量/粉丝量")
    source = models.CharField("来源", max_length=40, default="manual")

    class Meta:
        verbose_name = "粉丝量记录"
        verbose_name_plural = "粉丝量记录"
        ordering = ["-taken_on"]
        constraints = [models.UniqueConstraint(fields=["account", "taken_on"], name="one_snapshot_per_day")]

    def __str__(self):
        return f"{self.account_id}号账号 {self.taken_on:%Y-%m-%d} 粉丝量 {self.followers}"


class ApplicationKind(models.TextChoices):
    OPEN = "open", "开设"
    CHANGE = "change", "变更"
    CLOSE = "close", "关停"
    CANCEL = "cancel", "注销"


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


class DecisionKind(models.TextChoices):
    COLLECTIVE = "collective", "本单位集体研究决定"
    HEAD_CONSENT = "head_consent", "主要领导同意"


class Application(models.Model):
    """An application to open, change, close or cancel an account (art. 6–7).

    `steps` is the approval chain fixed at submission: unit ids of host unit, competent unit and
    district office, consecutive duplicates removed. `current_step` indexes it.
    """

    kind = models.CharField("申请类型", max_length=10, choices=ApplicationKind.choices)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    reason = models.TextField("开办（变更、关停）理由")
    changes = models.JSONField("变更内容", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED)
    steps = models.JSONField("审批链", default=list)
    current_step = models.PositiveSmallIntegerField("当前环节", default=0)
    decision_kind = models.CharField("关停依据", max_length=20, choices=DecisionKind.choices, blank=True)
    decision_document = models.FileField("集体研究纪要或主要领导同意文件", upload_to="decisions/", blank=True)
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "审批申请"
        verbose_name_plural = "审批申请"
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["state", "current_step"])]

    def __str__(self):
        return f"{self.get_kind_display()}申请：{self.account.name}"

    def get_absolute_url(self):
        return reverse("application_detail", args=[self.pk])

    @property
    def current_unit_id(self) -> int | None:
        if self.state != ApplicationState.SUBMITTED or self.current_step >= len(self.steps):
            return None
        return self.steps[self.current_step]


class LifecycleEvent(models.Model):
    """One row per transition of an account or its application (who, when, from, to, why, what changed)."""

    class Action(models.TextChoices):
        REGISTER = "register", "登记"
        SUBMIT = "submit", "提交申请"
        RESUBMIT = "resubmit", "重新提交"
        APPROVE = "approve", "审批通过"
        REJECT = "reject", "退回"
        WITHDRAW = "withdraw", "撤回"
        APPLY_CHANGE = "apply_change", "变更生效"
        NOTICE = "notice", "发布关停公告"
        CLOSE = "close", "关停生效"
        CANCEL = "cancel", "注销生效"
        FILE = "file", "完成备案"
        IMPORT = "import", "台账导入"
        RESCHEDULE = "reschedule", "期限重算"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    step = models.PositiveSmallIntegerField("环节", null=True, blank=True)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    comment = models.TextField("意见", blank=True)
    diff = models.JSONField("字段变化", default=dict, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()}（{self.account_id}号账号）"


class FilingKind(models.TextChoices):
    OPENING = "opening", "开设备案"
    CHANGE = "change", "变更备案"
    LEGACY = "legacy", "存量账号补办备案"
    CLOSURE = "closure", "关停注销备案"


class FilingState(models.TextChoices):
    PENDING = "pending", "待提交"
    SUBMITTED = "submitted", "已提交待确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


# The unit has to act on these: nothing submitted yet, or the district office sent it back.
AWAITING_UNIT = (FilingState.PENDING, FilingState.RETURNED)


def filing_form_path(filing: "Filing", filename: str) -> str:
    """A name of our making: the uploader's file name never reaches the disk (no paths, no odd characters)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"filings/{filing.account_id}/{uuid.uuid4().hex}.{suffix}"


class FilingQuerySet(models.QuerySet):
    def overdue(self, today: date) -> "FilingQuerySet":
        """Not confirmed, and either not submitted by the deadline or submitted after it.

        A submission counts by its date once confirmed, so one made in time and awaiting confirmation
        is not overdue; a late one stays overdue until confirmed."""
        return self.filter(
            Q(state__in=AWAITING_UNIT, due_on__lt=today)
            | Q(state=FilingState.SUBMITTED, filed_on__gt=models.F("due_on"))
        )

    def open(self) -> "FilingQuerySet":
        return self.exclude(state=FilingState.CONFIRMED)


class Filing(models.Model):
    """An obligation to file the attachment-1 form with the district office by a working-day deadline.

    The unit submits the provincial filing number and the stamped form (`filed_on` is the submission
    date, which meets the deadline once the district office confirms it); the office confirms it or
    returns it with a reason, and the unit submits again. Every step is a FilingEvent row."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="filings")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField("备案类型", max_length=10, choices=FilingKind.choices)
    triggered_on = models.DateField("起算日期")
    due_on = models.DateField("备案期限")
    due_is_provisional = models.BooleanField(
        "期限为暂定", default=False, help_text="该年度官方节假日安排尚未录入，期限按周末推算"
    )
    state = models.CharField("备案状态", max_length=10, choices=FilingState.choices, default=FilingState.PENDING)
    provincial_filing_no = models.CharField("省备案编号", max_length=60, blank=True)
    form = models.FileField("盖章的备案登记表", upload_to=filing_form_path, blank=True, max_length=200)
    filed_on = models.DateField("提交日期", null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = "备案事项"
        verbose_name_plural = "备案事项"
        ordering = ["due_on"]
        # Account pages and the registry list ask for each account's open filings.
        indexes = [models.Index(fields=["filed_on", "due_on"]), models.Index(fields=["account", "filed_on", "due_on"]),
                   models.Index(fields=["state", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.account_id}号账号，期限 {self.due_on:%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("filing_detail", args=[self.pk])

    @property
    def awaits_unit(self) -> bool:
        return self.state in AWAITING_UNIT


class FilingEvent(models.Model):
    """One row per step of a filing: who submitted, confirmed or returned it, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        RESUBMIT = "resubmit", "重新提交"
        CONFIRM = "confirm", "确认"
        RETURN = "return", "退回"
        RECORD = "record", "补录"

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("动作", max_length=10, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=10, choices=FilingState.choices)
    to_state = models.CharField("新状态", max_length=10, choices=FilingState.choices)
    provincial_filing_no = models.CharField("省备案编号", max_length=60, blank=True)
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "备案办理记录"
        verbose_name_plural = "备案办理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()}（{self.filing}）"


class FilingReminder(models.Model):
    """A reminder sent to a unit admin about a filing due soon or overdue; at most one per filing,
    person and day, so a second run of the daily job sends nothing twice."""

    class Reason(models.TextChoices):
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已逾期"

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="filing_reminders")
    sent_on = models.DateField("提醒日期")
    reason = models.CharField("原因", max_length=10, choices=Reason.choices)
    emailed = models.BooleanField("已发送邮件", default=False)

    class Meta:
        verbose_name = "备案提醒"
        verbose_name_plural = "备案提醒"
        ordering = ["-sent_on", "filing__due_on"]
        constraints = [models.UniqueConstraint(fields=["filing", "recipient", "sent_on"],
                                               name="one_filing_reminder_per_person_and_day")]

    def __str__(self):
        return f"{self.sent_on:%Y-%m-%d} 提醒 {self.recipient}：{self.filing}"


class ClosureNotice(models.Model):
    """Art. 7: a closure or cancellation is announced to the public for at least 15 working days."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="closure_notices")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="notice")
    kind = models.CharField("类型", max_length=10, choices=ApplicationKind.choices)
    title = models.CharField("公告标题", max_length=200)
    body = models.TextField("公告内容")
    published_on = models.DateField("公告日期")
    effective_on = models.DateField("生效日期")
    effective_is_provisional = models.BooleanField("生效日期为暂定", default=False)
    took_effect_at = models.DateTimeField("实际生效时间", null=True, blank=True)

    class Meta:
        verbose_name = "关停注销公告"
        verbose_name_plural = "关停注销公告"
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notice_detail", args=[self.pk])
