"""A production server must not start with the demo's published password on any login.

The demo prints its password (district.DEMO_PASSWORD) on every `make run`; a deployment that kept demo
data, or whose administrator reused that password, is open to anyone who has read the README.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DatabaseError
from django.db.models import Count, Q

from govmedia.demo import district


def _demo_usernames() -> set[str]:
    names = {u.username for u in district.DEMO_USERS} | {"office_admin"}
    for spec in district.UNITS:
        names |= {f"{spec.code}_admin", f"{spec.code}_leader"}
    return names


def users_with_demo_password() -> list[str]:
    """Active logins whose password is the demo password.

    Verifying a hash costs a deliberate fraction of a second, so not every user is tried at each start.
    User.set_password notes, while it holds the plaintext, whether it is the demo password
    (has_demo_password): that flag finds any login, whatever its name. Logins whose password was set
    before the flag existed are found as before: the demo's login names, and hashes shared by several
    users (the demo hashes its password once and gives that hash to every login, while a password set any
    other way gets its own salt). Each distinct candidate hash is verified once, so a flag made stale by
    writing a hash directly never refuses a server.
    """
    from govmedia.orgs.models import User

    users = User.objects.filter(is_active=True).exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    shared = users.values("password").annotate(n=Count("id")).filter(n__gt=1).values("password")
    by_hash = defaultdict(list)
    candidates = Q(has_demo_password=True) | Q(username__in=_demo_usernames()) | Q(password__in=shared)
    for username, hashed in users.filter(candidates).values_list("username", "password"):
        by_hash[hashed].append(username)
    return sorted(name for hashed, names in by_hash.items()
                  if check_password(district.DEMO_PASSWORD, hashed) for name in names)


def demo_passwords_allowed() -> bool:
    """Demo mode (or DEBUG) allows the published password, but never with the production settings on:
    GOVMEDIA_HTTPS=1 means a real deployment, whatever GOVMEDIA_DEMO says (`make run` does not set it)."""
    if settings.GOVMEDIA_HTTPS:
        return False
    return settings.DEBUG or settings.GOVMEDIA_DEMO


def demo_password_problem() -> str | None:
    """Why this server must not serve, in Chinese; None when it may."""
    if demo_passwords_allowed():
        return None
    try:
        found = users_with_demo_password()
    except DatabaseError:  # not migrated yet: there is no login to worry about
        return None
    if not found:
        return None
    shown = "、".join(found[:10]) + (f" 等 {len(found)} 个" if len(found) > 10 else "")
    return (f"拒绝启动：用户 {shown} 仍在使用演示密码（{district.DEMO_PASSWORD}）。"
            "生产环境请修改这些密码或停用这些用户；只想运行演示时请设置 GOVMEDIA_DEMO=1（make run 的默认），"
            "且不要设置 GOVMEDIA_HTTPS=1（生产设置下始终拒绝演示密码）。")


class NotDemoPasswordValidator:
    """Outside demo mode nobody may choose the published demo password (it would stop the server)."""

    def validate(self, password, user=None):
        if password == district.DEMO_PASSWORD and not demo_passwords_allowed():
            raise ValidationError("不能使用演示密码，请另设密码。", code="password_is_demo_password")

    def get_help_text(self):
        return "不能使用演示数据公开的密码。"


@register(Tags.security, deploy=True)
def check_no_demo_passwords(app_configs=None, **kwargs):
    problem = demo_password_problem()
    return [Error(problem, id="govmedia.E001")] if problem else []


def refuse_to_serve_with_demo_passwords() -> None:
    """Called when the WSGI application starts: a worker that raises here never serves a request."""
    problem = demo_password_problem()
    if problem:
        raise ImproperlyConfigured(problem)
