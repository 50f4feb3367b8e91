"""Signal-level auditing: every save and delete of a govmedia model becomes an AuditEntry.

Hooking the model layer instead of each view means writes from the admin, imports and
management commands are audited too, with no chance of a view forgetting.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from govmedia.audit.services import (
    audit_login_event,
    audit_model_write,
    audit_password_change,
    audit_relation_change,
    remember_previous_state,
)


def _is_audited(sender) -> bool:
    # Models outside the app registry (the migration recorder's own table) have no app_config.
    # Models that hold only what machines read from outside (posts, link verdicts) opt out with AUDITED = False:
    # nobody's decision is in them, and ingest writes them by the ten thousand.
    config = sender._meta.app_config
    return (config is not None and config.name.startswith("govmedia.") and sender._meta.app_label != "audit"
            and getattr(sender, "AUDITED", True))


@receiver(pre_save)
def _before_save(sender, instance, raw=False, **kwargs):
    if not raw and _is_audited(sender):
        remember_previous_state(instance)


@receiver(post_save)
def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not raw and _is_audited(sender):
        audit_model_write(instance, created=created, update_fields=update_fields)
        # set_password() keeps the raw password on the instance until save() returns, whichever form,
        # command or service called it; a rehash on login clears it first and is no change of password.
        if not created and getattr(instance, "_password", None) is not None:
            audit_password_change(instance)


@receiver(post_delete)
def _after_delete(sender, instance, **kwargs):
    if _is_audited(sender):
        audit_model_write(instance, deleted=True)


def _relation_name(instance, through) -> str:
    """The name of instance's many-to-many field (or reverse accessor) that uses `through`."""
    for field in instance._meta.get_fields():
        # A ManyToManyField names its table on remote_field; the reverse ManyToManyRel on itself.
        if field.many_to_many and (getattr(field, "through", None) or field.remote_field.through) is through:
            return field.name
    return through._meta.model_name


@receiver(m2m_changed)
def _after_relation_change(sender, instance, action, pk_set, **kwargs):
    # Assigning operators to an account decides who may see it, so it is audited like a field change.
    if not _is_audited(type(instance)):
        return
    if action == "pre_clear":
        # post_clear does not say what was removed; remember it now.
        name = _relation_name(instance, sender)
        instance._audit_cleared = {name: set(getattr(instance, name).values_list("pk", flat=True))}
    elif action in ("post_add", "post_remove", "post_clear"):
        name = _relation_name(instance, sender)
        if action == "post_clear":
            pk_set = getattr(instance, "_audit_cleared", {}).pop(name, None)
        if pk_set or action == "post_clear":
            audit_relation_change(instance, field_name=name, action=action, pk_set=pk_set)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_login_event("login", request=request, user=user, username=user.get_username())


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_login_event("logout", request=request, user=user, username=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_login_event("login_failed", request=request, user=None, username=credentials.get("username", ""))
