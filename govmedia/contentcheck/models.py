"""The platform side of the content checker: district lexicons kept in the database (edited in the
admin, every save a revision) and stored check results that name the lexicon version behind them."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from govmedia.orgs.models import Unit


class Lexicon(models.Model):
    name = models.CharField("词库名称", max_length=60, unique=True)
    note = models.CharField("来源说明", max_length=200, blank=True)
    content = models.TextField(
        "词条", help_text="每行一条：类别<TAB>词条[<TAB>建议]；# 开头为注释。类别：expression_error、typo、prohibited、"
                        "advertising、advertising_context（广告法绝对化用语，与商业线索同句才报告）、"
                        "prohibited_context（枪支弹药用语，与出售、价格、联系交易同句才报告）、secret_marking、"
                        "personal_opinion、sensitive_topic、canonical、allow",
    )
    is_active = models.BooleanField("启用", default=True)
    version = models.CharField("版本", max_length=20, editable=False)
    entry_count = models.PositiveIntegerField("词条数", default=0, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "检查词库"
        verbose_name_plural = "检查词库"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.entry_count} 条，版本 {self.version}）"


class LexiconRevision(models.Model):
    lexicon = models.ForeignKey(Lexicon, on_delete=models.CASCADE, related_name="revisions")
    version = models.CharField("版本", max_length=20)
    content = models.TextField("词条")
    saved_at = models.DateTimeField("保存时间")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = "词库历史版本"
        verbose_name_plural = "词库历史版本"
        ordering = ["-saved_at", "-pk"]

    def __str__(self):
        return f"{self.lexicon.name} {self.version}"


class ContentCheck(models.Model):
    """One run of the checker over a text someone submitted."""

    unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="+")
    # The account the text is meant for, if any: its operators and its host unit see the check too.
    account = models.ForeignKey("registry.Account", verbose_name="拟发布账号", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="content_checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("检查时间")
    title = models.CharField("标题或文件名", max_length=200)
    text = models.TextField("检查文本")
    checker_version = models.CharField("检查器版本", max_length=40)
    finding_count = models.PositiveIntegerField("发现问题数", default=0)

    class Meta:
        verbose_name = "内容检查记录"
        verbose_name_plural = "内容检查记录"
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content_check_detail", args=[self.pk])


class StoredFinding(models.Model):
    check_run = models.ForeignKey(ContentCheck, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField("类别", max_length=30)
    severity = models.CharField("严重程度", max_length=10)
    start = models.PositiveIntegerField("起始位置")
    end = models.PositiveIntegerField("结束位置")
    text = models.CharField("原文", max_length=400)
    suggestion = models.CharField("建议", max_length=400, blank=True)
    rule = models.CharField("规则", max_length=200)
    source = models.CharField("词库来源", max_length=200)
    lexicon_version = models.CharField("词库版本", max_length=40)
    explanation = models.CharField("说明", max_length=400)

    class Meta:
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"
        ordering = ["start", "pk"]

    def __str__(self):
        return f"{self.category}: {self.text}"
