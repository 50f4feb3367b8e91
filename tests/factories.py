"""factory-boy factories for govmedia models. Import as `from tests.factories import AccountFactory`.

Defaults build the smallest valid object: an account is a NORMAL weibo account of a fresh department,
a user is an operator with a person in a fresh unit. Pass the unit, role, platform… you care about:

    UserFactory(unit=district.edu, role=Role.LEADER)
    AccountFactory(host_unit=district.edu, platform=platform("douyin"), operators=[some_user])

Platforms are seeded by migration registry 0002; `platform(code)` fetches one, PlatformFactory only
exists for tests that need a platform the district has not configured.
"""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from govmedia import clock
from govmedia.orgs.models import Person, Role, Unit, UnitKind, User
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationKind,
    ApplicationState,
    ClosureNotice,
    Filing,
    FilingKind,
    FilingState,
    Platform,
)
from govmedia.workdays.models import CalendarDay, CalendarYear

# Satisfies every AUTH_PASSWORD_VALIDATORS rule, so tests can log in through the real form.
DEFAULT_PASSWORD = "Xihai2020an"


def platform(code: str) -> Platform:
    """A platform seeded by migration registry 0002, e.g. platform("wechat-subscription")."""
    return Platform.objects.get(code=code)


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DEPARTMENT


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}号")
    unit = factory.SubFactory(UnitFactory)
    title = "科员"
    office_phone = "0532-86980000"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


class UserFactory(DjangoModelFactory):
    """A user with a person in `unit` (pass unit=…; a fresh department otherwise) and a `role`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        unit = factory.SubFactory(UnitFactory)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OPERATOR
    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..unit"))
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class PlatformFactory(DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"platform-{n}")
    name = factory.Sequence(lambda n: f"测试平台{n}")
    family = Platform.Family.OTHER
    exclusivity_key = factory.SelfAttribute("code")


def _default_competent_unit(account) -> Unit:
    unit = account.host_unit
    return unit.competent_unit or unit.parent or unit


class AccountFactory(DjangoModelFactory):
    """A NORMAL account; `operators=[user, …]` assigns operators."""

    class Meta:
        model = Account
        skip_postgeneration_save = True

    account_id = factory.Sequence(lambda n: f"xihai{n:05d}")
    name = factory.Sequence(lambda n: f"西海岸政务发布{n}")
    platform = factory.LazyFunction(lambda: platform("weibo"))
    registered_on = date(2021, 3, 1)
    host_unit = factory.SubFactory(UnitFactory)
    competent_unit = factory.LazyAttribute(_default_competent_unit)
    status = AccountStatus.NORMAL
    live_on = date(2021, 3, 15)

    @factory.post_generation
    def operators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.operators.add(*extracted)


class ApplicationFactory(DjangoModelFactory):
    """A SUBMITTED application at step 0 with the account's real approval chain."""

    class Meta:
        model = Application

    kind = ApplicationKind.CHANGE
    account = factory.SubFactory(AccountFactory)
    applicant = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..account.host_unit"))
    reason = "工作需要"
    state = ApplicationState.SUBMITTED
    steps = factory.LazyAttribute(lambda a: _approval_chain(a.account))
    submitted_at = factory.LazyFunction(lambda: clock.now())


def _approval_chain(account):
    from govmedia.registry.services import approval_chain

    return approval_chain(account)


class FilingFactory(DjangoModelFactory):
    class Meta:
        model = Filing

    account = factory.SubFactory(AccountFactory)
    kind = FilingKind.OPENING
    triggered_on = date(2026, 3, 2)
    due_on = date(2026, 3, 11)
    # A filing given a date is a confirmed one unless the test says otherwise.
    state = factory.LazyAttribute(lambda f: FilingState.CONFIRMED if f.filed_on else FilingState.PENDING)
    filed_on = None


class ClosureNoticeFactory(DjangoModelFactory):
    class Meta:
        model = ClosureNotice

    application = factory.SubFactory(ApplicationFactory, kind=ApplicationKind.CLOSE, state=ApplicationState.APPROVED)
    account = factory.SelfAttribute("application.account")
    kind = factory.SelfAttribute("application.kind")
    title = factory.LazyAttribute(lambda n: f"关于关停“{n.account.name}”的公告")
    body = "公告内容"
    published_on = date(2026, 3, 2)
    effective_on = date(2026, 3, 24)


class CalendarDayFactory(DjangoModelFactory):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    is_working_day = False
    name = "放假"


class CalendarYearFactory(DjangoModelFactory):
    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    is_complete = True
    source = "国办发明电"
