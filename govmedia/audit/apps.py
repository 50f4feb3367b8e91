from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "govmedia.audit"
    verbose_name = "审计日志"

    def ready(self):
        from govmedia.audit import signals  # noqa: F401
