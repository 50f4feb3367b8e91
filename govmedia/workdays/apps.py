from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "govmedia.workdays"
    verbose_name = "工作日历"
