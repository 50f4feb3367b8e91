from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "govmedia.demo"
    verbose_name = "演示数据"

    def ready(self):
        from govmedia.demo import checks  # noqa: F401  (registers the deploy check)
