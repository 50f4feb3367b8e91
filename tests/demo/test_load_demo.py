"""The demo district: loaded once, through the rules, with every situation the demo is meant to show."""

from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Max, Value
from django.db.models.functions import Replace
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import timezone

from govmedia import clock
from govmedia.audit.models import AuditEntry
from govmedia.demo.district import DEMO_PASSWORD, DEMO_USERS, UNITS
from govmedia.demo.monitoring import PINNED, simulator_accounts
from govmedia.errors import RuleViolation
from govmedia.monitoring.models import (
    Alert,
    ApprovedSource,
    Finding,
    Post,
    RepostTask,
    Source,
    SourceHealth,
    SourceKind,
    SourceLevel,
)
from govmedia.monitoring.services import cycle
from govmedia.monitoring.services.cycle import MONITORED_STATUSES
from govmedia.orgs.leadership import unit_principal
from govmedia.orgs.models import Person, Role, Unit, UnitKind, User
from govmedia.registry import selectors
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationState,
    ClosureNotice,
    Filing,
    FilingKind,
    FollowerSnapshot,
    LifecycleEvent,
    Platform,
)
from govmedia.registry.rules import check_account_holder
from govmedia.settings_access import measures_effective_date
from govmedia.simulator import Options, World, demo_world, feed_url, serving, source_kind
from govmedia.workdays.selectors import working_days_between
from tests.demo.conftest import LOADED_AT, load
from tests.monitoring.simulated import LINK_HOSTS

pytestmark = pytest.mark.django_db

ROLE_BY_LABEL = {str(label): value for value, label in Role.choices}


HISTORY_DATES = {
    Account: ["created_at", "registered_on", "live_on", "host_opinion_on", "competent_opinion_on",
              "provincial_filed_on"],
    Application: ["state", "submitted_at", "decided_at"],
    Filing: ["triggered_on", "due_on", "filed_on"],
    ClosureNotice: ["published_on", "effective_on", "body", "took_effect_at"],
}


def _instant(value):
    """An audited value (str) or a stored one, comparable: datetimes as instants, blanks as None."""
    if value in ("", None):
        return None
    if isinstance(value, str) and len(value) > 10 and value[:4].isdigit() and value[10] in " T":
        return datetime.fromisoformat(value)
    return value if isinstance(value, (str, datetime)) else str(value)


def supervisor() -> User:
    return User.objects.get(username="supervisor")


@pytest.mark.usefixtures("demo_output")
class TestTheLoadedDemo:
    def test_it_is_a_district_of_about_forty_units_and_150_accounts_on_every_platform(self):
        assert 35 <= Unit.objects.count() <= 50
        assert 130 <= Account.objects.count() <= 180
        used = set(Account.objects.values_list("platform__code", flat=True))
        assert used == set(Platform.objects.values_list("code", flat=True))

    def test_every_unit_but_the_district_office_has_a_competent_unit(self):
        assert Unit.objects.filter(kind=UnitKind.DISTRICT_OFFICE).count() == 1
        assert not Unit.objects.exclude(kind=UnitKind.DISTRICT_OFFICE).filter(competent_unit__isnull=True).exists()
        kinds = set(Unit.objects.values_list("kind", flat=True))
        assert kinds == set(UnitKind.values)
        assert Unit.objects.filter(kind=UnitKind.CONTRACTOR).count() == 2

    def test_every_unit_has_a_leader_and_a_staff_member_with_phones(self):
        for unit in Unit.objects.annotate(n=Count("people")):
            assert unit.n >= 2, unit
        for person in Person.objects.all():
            assert person.office_phone.startswith("0532-8") and len(person.office_phone) == 13
            assert person.mobile.startswith("13") and len(person.mobile) == 11

    def test_the_host_opinion_is_signed_by_the_units_principal_never_by_the_deputy_in_charge(self):
        signed = Account.objects.exclude(host_opinion_signer="").select_related("host_unit")
        assert signed.count() > 50
        for account in signed:
            assert account.host_opinion_signer != account.host_leader_name, account
            assert account.host_opinion_signer == unit_principal(account.host_unit).name, account

    def test_every_account_has_a_history_and_the_attachment_1_fields(self):
        assert not Account.objects.filter(events__isnull=True).exists()
        normal = Account.objects.filter(status=AccountStatus.NORMAL)
        assert not normal.filter(registered_on__isnull=True).exists()
        assert not normal.filter(live_on__isnull=True).exists()
        assert not normal.filter(responsible_person__isnull=True).exists()
        assert not normal.filter(team__isnull=True).exists()
        assert normal.exclude(provincial_filing_no="").count() > normal.count() * 0.8
        wechat = normal.filter(platform__code__in=["wechat-service", "wechat-subscription"])
        assert not wechat.filter(columns__isnull=True).exists()
        years = {d.year for d in Account.objects.exclude(registered_on=None).values_list("registered_on", flat=True)}
        assert {2014, 2020, 2023} <= years

    def test_no_event_is_dated_in_the_future(self):
        now = clock.now()
        assert not LifecycleEvent.objects.filter(at__gt=now).exists()
        assert not Application.objects.filter(submitted_at__gt=now).exists()
        assert not Account.objects.filter(registered_on__gt=clock.today()).exists()

    def test_the_audit_trail_replays_to_every_stored_date_of_the_history(self):
        """The history is told through the services at its own moments, never moved afterwards behind the
        audit's back: folding each object's audit entries gives the dates and times stored now."""
        for model, fields in HISTORY_DATES.items():
            replayed: dict[str, dict] = defaultdict(dict)
            for object_id, changes in (AuditEntry.objects.filter(object_type=model._meta.label).order_by("pk")
                                       .values_list("object_id", "changes")):
                replayed[object_id].update({name: change[1] for name, change in changes.items() if name in fields})
            for row in model.objects.values("pk", *fields):
                audited = replayed[str(row["pk"])]
                for name in fields:
                    assert _instant(audited.get(name)) == _instant(row[name]), (model.__name__, row["pk"], name)

    def test_follower_series_cover_the_last_year_and_some_accounts_are_small(self):
        latest = FollowerSnapshot.objects.values("account").annotate(n=Count("pk"), last=Max("followers"))
        assert max(row["n"] for row in latest) == 12
        assert sum(1 for row in latest if row["last"] < 500) >= 5

    def test_overdue_filings_are_overdue_for_the_supervisor(self):
        overdue = selectors.overdue_filings(supervisor())
        assert {FilingKind.OPENING, FilingKind.CHANGE, FilingKind.LEGACY} <= {f.kind for f in overdue}
        today = clock.today()
        opening = overdue.get(kind=FilingKind.OPENING)
        assert working_days_between(opening.triggered_on, today) == 15
        change = overdue.get(kind=FilingKind.CHANGE)
        assert working_days_between(change.triggered_on, today) == 10
        # And one is still within its 7 working days.
        assert selectors.open_filings(supervisor()).filter(due_on__gte=today).exists()

    def test_legacy_accounts_filed_under_article_19_and_one_did_not(self):
        legacy = Account.objects.filter(registered_on__lt=measures_effective_date())
        assert legacy.count() > 50
        filings = Filing.objects.filter(kind=FilingKind.LEGACY)
        assert filings.count() == legacy.count()
        unfiled = filings.filter(filed_on__isnull=True)
        assert unfiled.count() == 1
        assert not filings.exclude(filed_on__isnull=True).filter(filed_on__gt=F("due_on")).exists()

    def test_a_closure_notice_is_under_way_another_took_effect_and_an_account_is_cancelled(self):
        today = clock.today()
        under_way = list(selectors.notices_under_way())
        assert len(under_way) == 1
        notice = under_way[0]
        assert notice.account.status == AccountStatus.CLOSING
        assert notice.published_on < today < notice.effective_on
        assert f"{notice.published_on:%Y年%m月%d日}" in notice.body
        assert f"{notice.effective_on:%Y年%m月%d日}" in notice.body
        assert working_days_between(notice.published_on, notice.effective_on - timedelta(days=1)) == 15
        closed = ClosureNotice.objects.get(account__status=AccountStatus.CLOSED)
        assert closed.took_effect_at is not None and closed.effective_on <= today
        assert closed.account.events.filter(action=LifecycleEvent.Action.CLOSE).exists()
        assert ClosureNotice.objects.filter(account__status=AccountStatus.CANCELLED).exists()
        assert bool(closed.application.decision_document)

    def test_applications_wait_at_each_step_of_the_chain(self):
        edu_leader = User.objects.get(username="edu_leader")
        inbox = selectors.approvals_inbox(edu_leader)
        assert {a.current_step for a in inbox} == {0, 1}  # its own step, and as competent unit of a school
        assert any(a.account.host_unit != edu_leader.unit for a in inbox)
        assert selectors.approvals_inbox(supervisor())
        assert selectors.approvals_inbox(User.objects.get(username="hospital_leader"))
        rejected = Application.objects.get(state=ApplicationState.REJECTED)
        assert rejected.events.get(action=LifecycleEvent.Action.REJECT).comment
        assert Account.objects.filter(status=AccountStatus.REJECTED).exists()  # a withdrawn opening

    def test_the_deliberate_violations_of_article_5_are_in_the_ledger(self):
        live = Account.objects.filter(status__in=[AccountStatus.NORMAL, AccountStatus.CLOSING])
        doubled = (live.filter(platform__exclusivity_key="wechat-oa").values("host_unit")
                   .annotate(n=Count("pk")).filter(n__gt=1))
        assert doubled.count() == 1
        internal = live.get(host_unit__kind=UnitKind.INTERNAL)
        individual = live.get(registrant_kind="individual")
        for account in (internal, individual):
            with pytest.raises(RuleViolation):
                check_account_holder(host_unit=account.host_unit, platform=account.platform, name=account.name,
                                     registrant_kind=account.registrant_kind, exclude_account=account)
            assert account.events.get().action == LifecycleEvent.Action.REGISTER

    def test_the_culture_bureau_has_small_look_alike_accounts_to_consolidate(self):
        culture = Unit.objects.get(name="区文化和旅游局")
        small = [a for a in Account.objects.filter(host_unit=culture, status=AccountStatus.NORMAL)
                 if a.follower_snapshots.first() and a.follower_snapshots.first().followers < 500]
        assert {a.platform.code for a in small} == {"kuaishou", "bilibili", "xiaohongshu"}

    def test_the_edu_operator_sees_the_education_bureaus_accounts_only(self):
        operator = User.objects.get(username="edu_operator")
        visible = selectors.accounts_visible_to(operator)
        assert visible.exists()
        assert set(visible.values_list("host_unit__name", flat=True)) == {"区教育和体育局"}

    def test_each_printed_login_works_with_its_role(self, demo_output):
        for demo_user in DEMO_USERS:
            assert demo_user.username in demo_output
            user = User.objects.get(username=demo_user.username)
            if demo_user.username == "admin":
                assert user.is_superuser and user.is_staff
            else:
                assert user.role == ROLE_BY_LABEL[demo_user.role_label]
                assert user.unit.name == demo_user.unit
            with override_settings(GOVMEDIA_DEMO=True):  # the demo password is allowed in demo mode only
                validate_password(demo_user.password, user)
            assert Client().login(request=HttpRequest(), username=demo_user.username, password=demo_user.password)
        assert DEMO_PASSWORD in demo_output

    def test_the_back_office_serves_exactly_the_supervisors_and_unit_admins(self):
        for user in User.objects.filter(is_active=True):
            client = Client()
            client.force_login(user)
            expected = 200 if user.is_superuser or user.role in {Role.SUPERVISOR, Role.UNIT_ADMIN} else 302
            assert client.get("/admin/").status_code == expected, user.username

    def test_every_demo_login_is_flagged_for_the_start_up_check(self):
        assert not User.objects.filter(has_demo_password=False).exists()

    def test_it_prints_a_summary(self, demo_output):
        assert "演示数据已载入" in demo_output
        assert f"账号 {Account.objects.count()}" in demo_output
        assert f"逾期 {selectors.overdue_filings(supervisor()).count()}" in demo_output

    def test_loading_again_says_so_and_adds_nothing(self):
        models = (Unit, Person, User, Account, Application, LifecycleEvent, Filing, ClosureNotice,
                  FollowerSnapshot, AuditEntry)
        before = {m: m.objects.count() for m in models}
        output = load()
        assert "演示数据已存在" in output
        assert {m: m.objects.count() for m in models} == before

    def test_what_is_overdue_is_overdue_on_the_day_it_is_loaded(self):
        today = clock.today()
        assert today == LOADED_AT.date()
        overdue = selectors.overdue_filings(supervisor())
        assert {FilingKind.OPENING, FilingKind.CHANGE, FilingKind.LEGACY} <= {f.kind for f in overdue}
        notice = selectors.notices_under_way().get()
        assert notice.published_on < today < notice.effective_on
        assert Account.objects.filter(status=AccountStatus.CLOSED).exists()
        assert not LifecycleEvent.objects.filter(at__gt=clock.now()).exists()
        pending = Application.objects.filter(state=ApplicationState.SUBMITTED)
        assert pending.count() == 6
        assert all(0 < working_days_between(timezone.localdate(a.submitted_at), today) <= 5 for a in pending)

    def test_the_supervisor_keeps_the_calendar_and_a_unit_admin_keeps_only_their_people_in_the_back_office(self):
        supervisor, unit_admin = Client(), Client()
        supervisor.force_login(User.objects.get(username="supervisor"))
        unit_admin.force_login(User.objects.get(username="edu_admin"))
        assert supervisor.get("/admin/workdays/calendarday/add/").status_code == 200
        assert unit_admin.get("/admin/orgs/person/").status_code == 200
        assert unit_admin.get("/admin/workdays/calendarday/").status_code == 403

    # -- monitoring: the demo's accounts publish on the platform simulator (govmedia/demo/monitoring.py)

    def test_every_open_account_has_a_source_on_the_simulator_and_two_apps_also_push(self):
        monitored = Account.objects.filter(status__in=MONITORED_STATUSES)
        polled = Source.objects.exclude(kind=SourceKind.PUSH)
        assert polled.count() == monitored.count() and not polled.exclude(account__in=monitored).exists()
        for source in polled.select_related("account__platform"):
            code = source.account.platform.code
            assert source.kind == source_kind(code)
            assert source.url == feed_url(settings.GOVMEDIA_SIMULATOR_URL, code, source.account.account_id)
        pushed = Source.objects.filter(kind=SourceKind.PUSH)
        assert set(pushed.values_list("account__name", flat=True)) == {"西海岸新闻", "西海岸社保"}

    def test_the_district_issued_the_simulators_repost_tasks_to_accounts_whose_feeds_carry_whole_posts(self):
        expected = World([], days=30).tasks(LOADED_AT)
        issued = list(RepostTask.objects.order_by("issued_at"))
        assert [(t.title, t.issued_at, t.deadline) for t in issued] == [
            (t.title, t.issued, t.deadline) for t in expected] and issued
        assert issued[0].notice_url == settings.GOVMEDIA_SIMULATOR_URL + expected[0].path
        assert issued[0].issued_by.username == "supervisor"
        required = set(issued[0].accounts.values_list("platform__code", flat=True))
        assert {"weibo", "wechat-subscription", "app"} <= required
        assert not required & {"douyin", "kuaishou", "wechat-channels", "toutiao"}
        assert ApprovedSource.objects.get(name="青岛西海岸发布").level == SourceLevel.DISTRICT

    def test_one_cycle_over_the_simulator_puts_the_planted_problems_before_the_demo_logins(self, settings):
        settings.GOVMEDIA_MONITOR_ALLOW_PRIVATE = True
        world = demo_world(simulator_accounts(), now=LOADED_AT)
        by_key = {a.account_id: a for a in Account.objects.filter(status__in=MONITORED_STATUSES)}
        codes = {spec.name: spec.code for spec in UNITS}
        pinned = {a.pk: PINNED[(codes[a.host_unit.name], a.platform.code)]["plants"][0] for a in by_key.values()
                  if (codes[a.host_unit.name], a.platform.code) in PINNED}
        assert len(pinned) == len(PINNED)
        failing = next(k for k, a in sorted(world.accounts.items()) if a.source in ("http_server_error", "captcha"))
        silent = next(k for k, a in sorted(world.accounts.items()) if a.activity == "silent")
        # Slow links answer at once here: the link checker's timeouts are not what this test is about.
        with serving(world, options=Options(slow_seconds=0.1, link_hosts=LINK_HOSTS)) as base_url, \
                transaction.atomic():
            Source.objects.update(url=Replace("url", Value(settings.GOVMEDIA_SIMULATOR_URL), Value(base_url)))
            ids = [*pinned, by_key[failing].pk, by_key[silent].pk]
            summary = cycle.run_cycle(account_ids=ids, now=LOADED_AT)
            assert summary.errors == 0 and summary.new_posts > 0 and summary.new_alerts > 0
            for account_id, plant in pinned.items():
                assert Finding.objects.filter(account_id=account_id, code=plant).exists(), plant
            assert Alert.objects.filter(finding__code="typo", recipient__username="edu_admin").exists()
            assert Alert.objects.filter(finding__code="secret_marking", recipient__username="lsw_admin").exists()
            assert Alert.objects.filter(finding__code="secret_marking", recipient__username="supervisor").exists()
            broken = Source.objects.exclude(kind=SourceKind.PUSH).get(account=by_key[failing])
            assert (broken.health, broken.health_reason) == (SourceHealth.BROKEN, world.accounts[failing].source)
            assert by_key[silent].findings.filter(code="no_update_2_weeks").exists()
            assert Post.objects.filter(published_at__date=LOADED_AT.date(), duty_reading__isnull=True).exists()
            transaction.set_rollback(True)


def test_it_refuses_a_database_that_already_holds_other_units():
    Unit.objects.create(name="某区政府办公室", kind=UnitKind.DISTRICT_OFFICE)
    with pytest.raises(CommandError):
        load()
    assert Unit.objects.count() == 1
