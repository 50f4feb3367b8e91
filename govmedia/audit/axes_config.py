from axes.apps import AppConfig


class AxesConfig(AppConfig):
    """django-axes (login lockout) gives its app no translatable name; the back office shows this one."""

    verbose_name = "登录锁定"
