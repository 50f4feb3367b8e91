from django.db import models


class CalendarDay(models.Model):
    """An admin-entered day that overrides the packaged calendar: a holiday or a make-up working day (调休)."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日", help_text="勾选表示调休上班；不勾选表示放假")
    name = models.CharField("说明", max_length=40, blank=True, help_text="如 元旦、春节、国庆节调休上班")

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日与调休日"
        ordering = ["date"]

    def __str__(self):
        kind = "上班" if self.is_working_day else "放假"
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"


class CalendarYear(models.Model):
    """Marks a year whose official arrangement an admin has fully entered, so its deadlines are no longer provisional."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    is_complete = models.BooleanField("已完整录入国务院办公厅通知", default=False)
    source = models.CharField("依据", max_length=200, blank=True, help_text="如 国办发明电〔2026〕X号")

    class Meta:
        verbose_name = "年度安排"
        verbose_name_plural = "年度安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"
