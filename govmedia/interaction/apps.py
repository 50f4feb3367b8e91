from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govmedia.interaction"
    verbose_name = "政民互动"

    def ready(self):
        from govmedia.interaction.services.replies import record_reply_decision
        from govmedia.publishing.signals import draft_decided

        draft_decided.connect(record_reply_decision, dispatch_uid="interaction.record_reply_decision")
