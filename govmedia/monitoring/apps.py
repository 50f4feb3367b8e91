from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govmedia.monitoring"
    verbose_name = "持续监测"
