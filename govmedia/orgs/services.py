"""Writes on units, people and logins."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from govmedia.orgs.models import Person, Role, Unit, UnitKind, User


def district_office_name() -> str:
    return f"{settings.GOVMEDIA_DISTRICT_NAME}管委办公室"


@transaction.atomic
def supervisor_create(*, username: str, password: str, name: str, title: str = "",
                      office_name: str = "") -> User:
    """A district supervisor (区级监管员) at the district office, with back-office access.

    On a fresh deployment this is the first login: the district office is created when there is none,
    and the supervisor then sets up units, people and the other logins in the back office.
    """
    username, name = username.strip(), name.strip()
    errors = {}
    if not username:
        errors["username"] = "请填写用户名。"
    elif User.objects.filter(username=username).exists():
        errors["username"] = f"用户名“{username}”已存在。"
    if not name:
        errors["name"] = "请填写监管员姓名。"
    user = User(username=username, role=Role.SUPERVISOR, is_staff=True)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    office = Unit.objects.filter(kind=UnitKind.DISTRICT_OFFICE).order_by("pk").first()
    if office is None:
        office = Unit.objects.create(name=office_name.strip() or district_office_name(), short_name="管委办",
                                     kind=UnitKind.DISTRICT_OFFICE)
    user.person = Person.objects.create(name=name, unit=office, title=title.strip())
    user.set_password(password)
    user.save()
    return user
