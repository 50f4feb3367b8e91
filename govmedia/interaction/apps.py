from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govmedia.interaction"
    verbose_name = "政民互动"
