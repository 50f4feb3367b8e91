from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govmedia.publishing"
    verbose_name = "审核发布"
