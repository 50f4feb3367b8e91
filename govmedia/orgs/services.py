"""Writes on units, people and logins. Each write is checked against orgs.permissions here, whatever form or
command asks for it, so a crafted request cannot save what the rules refuse."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from govmedia.errors import PermissionDenied
from govmedia.orgs import permissions
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
    username, name, title, office_name = username.strip(), name.strip(), title.strip(), office_name.strip()
    errors = {}
    username_field = User._meta.get_field("username")
    if not username:
        errors["username"] = "请填写用户名。"
    elif len(username) > username_field.max_length:
        errors["username"] = f"用户名不能超过 {username_field.max_length} 个字符。"
    elif not _passes(username_field.validators, username):
        errors["username"] = "用户名只能包含字母、数字和 @ . + - _ 字符。"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"用户名“{username}”已存在。"
    if not name:
        errors["name"] = "请填写监管员姓名。"
    for field, label, value in (("name", "姓名", name), ("title", "职务", title)):
        limit = Person._meta.get_field(field).max_length
        if len(value) > limit:
            errors[field] = f"{label}不能超过 {limit} 个字符。"
    if len(office_name) > Unit._meta.get_field("name").max_length:
        errors["office_name"] = f"单位名称不能超过 {Unit._meta.get_field('name').max_length} 个字符。"
    user = User(username=username, role=Role.SUPERVISOR, is_staff=True)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    office = Unit.objects.filter(kind=UnitKind.DISTRICT_OFFICE).order_by("pk").first()
    if office is None:
        office = Unit.objects.create(name=office_name or district_office_name(), short_name="管委办",
                                     kind=UnitKind.DISTRICT_OFFICE)
    user.person = Person.objects.create(name=name, unit=office, title=title)
    user.set_password(password)
    user.save()
    return user


def _passes(validators, value) -> bool:
    try:
        for validator in validators:
            validator(value)
    except ValidationError:
        return False
    return True


def _role_label(role: str) -> str:
    return dict(Role.choices).get(role, role)


def check_user_grant(*, by: User, user: User) -> None:
    """Raise PermissionDenied (in Chinese, naming what is refused) unless `by` may save `user` as it now is.

    `user` carries the edited values; what it held before is read from the database.
    """
    previous = User.objects.select_related("person").filter(pk=user.pk).first() if user.pk else None
    if previous is not None and previous.pk == by.pk:
        # Editing oneself: judge by the rights held before this edit, not by the edited values.
        by = previous
    if previous is not None and not permissions.may_change_user(by, previous):
        raise PermissionDenied(f"无权修改用户“{previous.get_username()}”")
    if previous is None and not permissions.may_manage_people(by):
        raise PermissionDenied("无权新增用户")
    person = Person.objects.select_related("unit").filter(pk=user.person_id).first() if user.person_id else None
    if not permissions.may_grant_role(by, user.role, person, user=previous):
        if previous is not None and previous.pk == by.pk:
            raise PermissionDenied("不能修改本人的角色或所属人员")
        if person is None:
            raise PermissionDenied("请为该用户选择本单位（含下属单位）的人员")
        if not permissions.may_place_in_unit(by, person.unit_id):
            raise PermissionDenied(f"无权选择其他单位的人员：{person}")
        raise PermissionDenied(f"无权授予角色“{_role_label(user.role)}”")
    if not permissions.may_grant_supervisor_only_fields(by):
        # is_staff is not a grant: user_save derives it from the role.
        before = previous.is_superuser if previous is not None else False
        if user.is_superuser != before:
            raise PermissionDenied(f"只有区级监管员可以修改“{User._meta.get_field('is_superuser').verbose_name}”")
    if previous is not None and not permissions.may_change_active_flag_of(by, previous) \
            and user.is_active != previous.is_active:
        raise PermissionDenied("不能停用本人的账号")


@transaction.atomic
def user_save(*, user: User, by: User) -> User:
    """Save a login edited by `by` (the back office), after checking every grant it carries."""
    check_user_grant(by=by, user=user)
    # Back-office access follows the role: a demoted unit admin leaves it, a new unit admin can use it.
    user.is_staff = permissions.role_uses_back_office(user)
    user.save()
    return user


def check_person_placement(*, by: User, person: Person) -> None:
    previous = Person.objects.filter(pk=person.pk).first() if person.pk else None
    if previous is not None and not permissions.may_change_person(by, previous):
        raise PermissionDenied(f"无权修改其他单位的人员：{previous.name}")
    if not permissions.may_place_in_unit(by, person.unit_id):
        raise PermissionDenied(f"无权将人员“{person.name}”调入其他单位")


@transaction.atomic
def person_save(*, person: Person, by: User) -> Person:
    """Save a person edited by `by`: created in, and moved between, units of the editor's remit only."""
    check_person_placement(by=by, person=person)
    person.save()
    return person
