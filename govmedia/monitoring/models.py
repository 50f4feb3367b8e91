"""What monitoring keeps: each account's sources and their health, the posts read from them, link verdicts,
findings with their history, alerts, duty reading, approved repost sources and required-repost tasks."""

from django.conf import settings
from django.db import models

from govmedia.monitoring.engine import codes
from govmedia.monitoring.engine.types import BROKEN_REASONS, LINK_VERDICTS, ORIGINAL, REPOST
from govmedia.registry.models import Account, Platform


class SourceKind(models.TextChoices):
    FEED = "feed", "订阅源（RSS/Atom/JSON Feed）"
    WEB = "web", "网站栏目页或站点地图"
    PUSH = "push", "推送接口"
    IMPORT = "import", "表格导入"


# Kinds that are read on a schedule; push and import sources receive posts instead.
POLLED_KINDS = (SourceKind.FEED, SourceKind.WEB)


class SourceHealth(models.TextChoices):
    UNKNOWN = "unknown", "尚未读取"
    OK = "ok", "正常"
    BROKEN = "broken", "数据源故障"


class Source(models.Model):
    """Where an account's posts are read from. Its health is the source's, never the account's activity."""

    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField("类型", max_length=10, choices=SourceKind.choices)
    url = models.URLField("地址", max_length=1000, blank=True, help_text="订阅源或网站栏目页、站点地图的地址")
    is_active = models.BooleanField("启用", default=True)
    interval_minutes = models.PositiveIntegerField(
        "读取间隔（分钟）", null=True, blank=True, help_text="留空则按平台的默认间隔"
    )
    health = models.CharField("状态", max_length=10, choices=SourceHealth.choices, default=SourceHealth.UNKNOWN)
    health_reason = models.CharField("故障原因", max_length=30, blank=True,
                                     choices=[(code, label) for code, label in BROKEN_REASONS.items()])
    health_detail = models.CharField("故障详情", max_length=500, blank=True)
    broken_since = models.DateTimeField("故障开始", null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField("连续失败次数", default=0)
    last_attempt_at = models.DateTimeField("最近读取", null=True, blank=True)
    last_success_at = models.DateTimeField("最近成功读取", null=True, blank=True)
    next_due_at = models.DateTimeField("下次读取", null=True, blank=True, db_index=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # Held while one worker reads the source, so that it is never read twice at the same time; a worker
    # killed mid-read leaves it to expire.
    lease_token = models.CharField(max_length=40, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据源"
        verbose_name_plural = "数据源"
        ordering = ["account_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "kind", "url"], name="one_source_per_account_kind_url"),
        ]

    def __str__(self):
        where = self.url or self.get_kind_display()
        return f"{self.account.name}：{where}"


class PlatformSchedule(models.Model):
    """How often a platform's accounts are read by default (per platform, configurable by supervisors)."""

    platform = models.OneToOneField(Platform, verbose_name="平台", on_delete=models.CASCADE,
                                    related_name="monitoring_schedule")
    interval_minutes = models.PositiveIntegerField("读取间隔（分钟）", default=60)

    class Meta:
        verbose_name = "平台读取间隔"
        verbose_name_plural = "平台读取间隔"

    def __str__(self):
        return f"{self.platform.name}：每 {self.interval_minutes} 分钟"


class MonitoringPolicy(models.Model):
    """District-wide thresholds; one row. The weekly and two-week rules are the measures' own (art. 10–11)."""

    sleeping_days = models.PositiveIntegerField("休眠账号：连续未更新天数", default=30)
    zombie_days = models.PositiveIntegerField("僵尸账号：连续未更新天数", default=90)
    follower_growth_factor = models.FloatField(
        "粉丝异常：日增长超过历史日均的倍数", default=10.0,
    )
    follower_min_growth = models.PositiveIntegerField("粉丝异常：日增长下限", default=500,
                                                      help_text="日增长低于此数不视为异常")
    popular_post_reads = models.PositiveIntegerField("可解释涨粉的热门信息阅读量", default=100_000)

    class Meta:
        verbose_name = "监测规则参数"
        verbose_name_plural = "监测规则参数"

    def __str__(self):
        return "监测规则参数"


class PostKind(models.TextChoices):
    ORIGINAL = ORIGINAL, "原创"
    REPOST = REPOST, "转载"


class Post(models.Model):
    """One item an account published, as read from one of its sources. Text and HTML came from outside:
    `html` is sanitized on the way in and `text` is shown escaped."""

    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.CASCADE, related_name="posts")
    source = models.ForeignKey(Source, verbose_name="数据源", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="posts")
    platform_post_id = models.CharField("平台信息ID", max_length=300)
    url = models.URLField("链接", max_length=1000, blank=True)
    title = models.CharField("标题", max_length=500, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, help_text="来源未给出时为空（未知）")
    text = models.TextField("正文", blank=True)
    html = models.TextField("正文（HTML，已净化）", blank=True)
    kind = models.CharField("类型", max_length=10, choices=PostKind.choices, default=PostKind.ORIGINAL)
    repost_source = models.CharField("转载来源", max_length=200, blank=True)
    links = models.JSONField("链接列表", default=list, blank=True)
    media_count = models.PositiveIntegerField("图片视频数", default=0)
    reads = models.PositiveBigIntegerField("阅读量", null=True, blank=True)
    likes = models.PositiveBigIntegerField("点赞量", null=True, blank=True)
    comments = models.PositiveBigIntegerField("评论量", null=True, blank=True)
    shares = models.PositiveBigIntegerField("转发量", null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    first_seen = models.DateTimeField("首次读取")
    last_seen = models.DateTimeField("最近读取")
    deleted_on_platform = models.BooleanField("平台上已删除", default=False)
    # Null until the post's checks have run and their findings are stored: a worker killed in between
    # leaves the post to be checked on the next cycle.
    checked_at = models.DateTimeField("检查时间", null=True, blank=True)

    class Meta:
        verbose_name = "已发布信息"
        verbose_name_plural = "已发布信息"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "platform_post_id"], name="one_post_per_platform_id"),
        ]
        indexes = [
            models.Index(fields=["account", "published_at"]),
            models.Index(fields=["first_seen"]),
            models.Index(fields=["checked_at"]),
        ]

    def __str__(self):
        return self.title or self.platform_post_id

    # Machine-ingested content from outside: first_seen and last_seen are its record, not the audit log.
    AUDITED = False


class LinkCheck(models.Model):
    """One verdict per URL per day: a link in a hundred posts is checked once."""

    url = models.URLField("链接", max_length=2000)
    url_hash = models.CharField(max_length=64)
    day = models.DateField("日期")
    verdict = models.CharField("结论", max_length=20, choices=list(LINK_VERDICTS.items()))
    http_status = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    final_url = models.URLField("最终地址", max_length=2000, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "链接检查"
        verbose_name_plural = "链接检查"
        constraints = [models.UniqueConstraint(fields=["url_hash", "day"], name="one_verdict_per_url_per_day")]

    def __str__(self):
        return f"{self.url} {self.get_verdict_display()}"

    AUDITED = False


class FindingState(models.TextChoices):
    OPEN = "open", "待处理"
    CONFIRMED = "confirmed", "已确认"
    FALSE_POSITIVE = "false_positive", "误报"
    FIXED = "fixed", "已整改"


CLOSED_STATES = (FindingState.FALSE_POSITIVE, FindingState.FIXED)

CODE_CHOICES = [(code, label) for code, label in codes.LABEL.items()]


class Finding(models.Model):
    """A problem found on an account, with its evidence. Found again, it is the same finding (by
    fingerprint), its `last_found_at` moves on and a fixed one reopens."""

    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.CASCADE, related_name="findings")
    post = models.ForeignKey(Post, verbose_name="信息", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="findings")
    code = models.CharField("问题类型", max_length=40, choices=CODE_CHOICES)
    severity = models.CharField("严重程度", max_length=10)
    fingerprint = models.CharField(max_length=64)
    summary = models.CharField("摘要", max_length=500)
    evidence = models.JSONField("证据", default=dict, blank=True,
                                help_text="偏移、原文、建议、链接、HTTP 状态码、时间窗口等")
    lexicon_version = models.CharField("词库版本", max_length=100, blank=True)
    state = models.CharField("状态", max_length=20, choices=FindingState.choices, default=FindingState.OPEN)
    state_reason = models.CharField("说明", max_length=500, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_findings")
    first_found_at = models.DateTimeField("首次发现")
    last_found_at = models.DateTimeField("最近发现")
    times_found = models.PositiveIntegerField("发现次数", default=1)
    escalated = models.BooleanField("已上报区级", default=False)

    class Meta:
        verbose_name = "监测问题"
        verbose_name_plural = "监测问题"
        ordering = ["-last_found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "fingerprint"], name="one_finding_per_fingerprint"),
        ]
        indexes = [models.Index(fields=["state", "code"]), models.Index(fields=["account", "state"])]

    def __str__(self):
        return f"{self.get_code_display()}：{self.summary[:60]}"


class FindingEvent(models.Model):
    """A finding's history: found, found again, state changes, assignment."""

    class Action(models.TextChoices):
        FOUND = "found", "发现"
        FOUND_AGAIN = "found_again", "再次发现"
        STATE = "state", "状态变更"
        ASSIGN = "assign", "指派"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "问题处理记录"
        verbose_name_plural = "问题处理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class Alert(models.Model):
    """A finding put in front of one person in the platform; e-mail and webhook deliveries hang off it."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    reason = models.CharField("原因", max_length=20, choices=[
        ("responsible", "账号责任人"), ("unit_admin", "单位管理员"), ("district", "区级监管（上报）"),
    ])
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["finding", "recipient"], name="one_alert_per_person")]

    def __str__(self):
        return f"{self.recipient} ← {self.finding}"


class Delivery(models.Model):
    """One outbound message of an alert (e-mail or signed webhook), retried until sent."""

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"
        WEBHOOK = "webhook", "消息网关（短信、微信）"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    target = models.CharField("目标", max_length=300)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=500, blank=True)

    class Meta:
        verbose_name = "提醒发送"
        verbose_name_plural = "提醒发送"
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel", "target"], name="one_delivery_per_target"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.target}"

    AUDITED = False


class DutyReading(models.Model):
    """The person on duty has read this post (值班读网)."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="duty_reading")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField("阅读时间")

    class Meta:
        verbose_name = "值班读网记录"
        verbose_name_plural = "值班读网记录"

    def __str__(self):
        return f"{self.reader} 已读 {self.post}"


class SourceLevel(models.TextChoices):
    NATIONAL = "national", "中央"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "本区指定单位"


class ApprovedSource(models.Model):
    """An outlet reposts may come from (art. 11)."""

    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("级别", max_length=20, choices=SourceLevel.choices)
    aliases = models.TextField("别名", blank=True, help_text="每行一个，如 新华网、新华社客户端")
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "许可转载来源"
        verbose_name_plural = "许可转载来源"
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    def names(self) -> list[str]:
        return [self.name, *(line.strip() for line in self.aliases.splitlines() if line.strip())]


class RepostTask(models.Model):
    """A repost the district office requires of some accounts by a deadline (art. 11)."""

    title = models.CharField("标题", max_length=300)
    notice_url = models.URLField("原文链接", max_length=1000, blank=True)
    match_phrases = models.TextField("匹配关键词", blank=True,
                                     help_text="每行一个；标题含任一即视为已转载。留空则按标题匹配")
    deadline = models.DateTimeField("截止时间")
    accounts = models.ManyToManyField(Account, verbose_name="须转载账号", related_name="repost_tasks")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="下达人", on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField("下达时间")

    class Meta:
        verbose_name = "转载任务"
        verbose_name_plural = "转载任务"
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return self.title


class RepostCompletion(models.Model):
    """An account's post that carries out a repost task, as detected from its posts."""

    task = models.ForeignKey(RepostTask, on_delete=models.CASCADE, related_name="completions")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    matched_by = models.CharField("匹配方式", max_length=10, choices=[("link", "链接"), ("title", "标题")])
    detected_at = models.DateTimeField("发现时间")

    class Meta:
        verbose_name = "转载任务完成"
        verbose_name_plural = "转载任务完成"
        constraints = [models.UniqueConstraint(fields=["task", "account"], name="one_completion_per_account")]

    def __str__(self):
        return f"{self.task} ← {self.post}"

    AUDITED = False


class PushToken(models.Model):
    """A push-API credential for one account. Only a hash is stored; the token is shown once."""

    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.CASCADE, related_name="push_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=12, help_text="令牌前几位，用于辨认")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "推送令牌"
        verbose_name_plural = "推送令牌"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.account.name} {self.prefix}…"
