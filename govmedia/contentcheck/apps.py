from django.apps import AppConfig


class ContentCheckConfig(AppConfig):
    name = "govmedia.contentcheck"
    verbose_name = "内容检查"
