"""The accounts' stories: how each account of the demo ledger came to be as it is, acted out
through the domain services.

An ordinary account is either a legacy one, entered in the ledger and given its art. 19 filing from
legacy_filing_for, or one opened after the measures took effect through the real approval chain
(open_application_submit → application_approve → filing_record). The other stories (AccountSpec.story)
set up the demo's situations: pending applications at each step of the chain, overdue and changed
filings, closures through closure_application_submit and closures_take_effect, and the deliberate
art. 5 violations. The services rightly refuse those, so they alone are written with the ORM, each
with a REGISTER event so its history is not empty.
"""

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile

from govmedia.demo.district import AccountSpec
from govmedia.demo.timeline import Timeline
from govmedia.orgs.models import User
from govmedia.registry import attachment1, services
from govmedia.registry import fields as account_fields
from govmedia.registry.models import (
    Account,
    AccountStatus,
    Application,
    ApplicationKind,
    ClosureNotice,
    DecisionKind,
    Filing,
    FilingKind,
    LifecycleEvent,
)
from govmedia.registry.rules import check_account_holder
from govmedia.registry.services.filings import filing_deadline


class Stories(Timeline):
    """`tell(spec)` acts out an account's story, each step through a service told when it acts (`now=`).

    Mixed into loader._Loader, which holds the district being built (units, users, team, platforms,
    effective, final_followers) and makes its particulars (values, person, team_row, opening_reason,
    filing_number, approver, admin_of, admin_of_unit)."""

    def tell(self, spec: AccountSpec) -> None:
        story = spec.story or ("legacy" if self.registration_is_legacy(spec) else "opened")
        getattr(self, f"story_{story}")(spec)

    def registration_is_legacy(self, spec: AccountSpec) -> bool:
        return spec.year is not None and spec.year < self.effective.year

    def registration_date(self, spec: AccountSpec) -> date:
        year = spec.year
        if year == self.effective.year:  # the year the measures took effect: open after them
            start, end = self.effective + timedelta(days=5), date(year, 12, 20)
        else:
            start, end = date(year, 1, 4), date(year, 12, 24)
        latest = self.today - timedelta(days=45)  # room for the approval chain and the filing
        end = min(end, latest)
        start = min(start, end)
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def register(self, spec: AccountSpec, *, registered_on: date, on: date, comment: str, actor: User | None,
                 check: bool = True, name: str | None = None, registrant_kind: str = "organisation") -> Account:
        """Put an account into the ledger directly (no application), with a REGISTER event dated `on`."""
        values = self.values(spec, name=name, registered_on=registered_on,
                             live_on=registered_on + timedelta(days=self.rng.randint(2, 20)),
                             registrant_kind=registrant_kind)
        if check:
            check_account_holder(host_unit=self.units[spec.unit], platform=self.platforms[spec.platform],
                                 name=values["name"], registrant_kind=registrant_kind,
                                 competent_unit_id=values["competent_unit"])
        account = Account(status=AccountStatus.NORMAL, platform=self.platforms[spec.platform])
        account_fields.apply_values(account, values)
        LifecycleEvent.objects.create(account=account, actor=actor, action=LifecycleEvent.Action.REGISTER,
                                      to_state=AccountStatus.NORMAL, comment=comment, at=self.moment(on))
        self.final_followers[account.pk] = spec.followers
        if spec.unit == "edu":
            account.operators.add(self.users["edu_operator"])
        return account

    def legacy(self, spec: AccountSpec, *, name: str | None = None) -> Account:
        """Art. 19: opened before the measures; entered in the ledger and filed within 20 working days."""
        due = filing_deadline(FilingKind.LEGACY, self.effective, calendar=self.calendar).date
        entered = self.after(self.effective, self.rng.randint(1, 4))
        filed_on = min(self.after(entered, self.rng.randint(1, 12)), due)
        account = self.register(spec, registered_on=self.registration_date(spec), on=entered, name=name,
                                actor=self.admin_of(spec), comment="存量账号登记：《管理办法》施行前开设，按第十九条补办备案。")
        # The attachment-1 form they filed carries the host and competent units' opinions.
        competent_id = account.competent_unit_id
        has_competent = competent_id != account.host_unit_id
        account_fields.apply_values(account, {
            "host_opinion_signer": self.principal[spec.unit].name, "host_opinion_on": entered,
            "competent_opinion_signer": self.approver(competent_id).display_name if has_competent else "",
            "competent_opinion_on": filed_on if has_competent else None,
        })
        self.file_and_confirm(services.legacy_filing_for(account, calendar=self.calendar), self.admin_of(spec), filed_on)
        return account

    def story_legacy(self, spec: AccountSpec) -> None:
        self.legacy(spec)

    def submit_opening(self, spec: AccountSpec, *, submitted_on: date, registered_on: date | None) -> Application:
        values = self.values(spec, registered_on=registered_on)
        application = services.open_application_submit(applicant=self.admin_of(spec), values=values,
                                                       reason=self.opening_reason(spec), now=self.moment(submitted_on))
        self.final_followers[application.account_id] = spec.followers
        if spec.unit == "edu":
            application.account.operators.add(self.users["edu_operator"])
        return application

    def approve(self, application: Application, first_day: date, *, steps: int | None = None) -> date:
        """Approve `steps` steps (all that remain when None), a working day or two apart from `first_day`.
        Returns the day of the last approval."""
        days, day = [], first_day
        for _ in range(self.remaining_steps(application) if steps is None else steps):
            days.append(day)
            day = self.after(day, self.rng.choice((1, 1, 2)))
        return self.approve_on(application, days)

    def approve_ending(self, application: Application, last_day: date) -> date:
        """Approve every remaining step, one working day apart, the last one on `last_day`."""
        n = self.remaining_steps(application)
        return self.approve_on(application, [self.before(last_day, n - 1 - i) for i in range(n)])

    @staticmethod
    def remaining_steps(application: Application) -> int:
        return len(application.steps) - application.current_step

    def approve_on(self, application: Application, days: list[date]) -> date:
        for day in days:  # application_approve refreshes the application it is given
            is_last = application.current_step + 1 == len(application.steps)
            services.application_approve(application=application, by=self.approver(application.current_unit_id),
                                         comment=self.approval_comment(application, is_last), now=self.moment(day))
        return days[-1]

    @staticmethod
    def approval_comment(application: Application, is_last: bool) -> str:
        if application.kind == ApplicationKind.OPEN:
            return "同意开设，请于7个工作日内完成备案（第六条）。" if is_last else "同意，请上级单位审批。"
        if application.kind == ApplicationKind.CHANGE:
            return "同意变更，请于7个工作日内报备。" if is_last else "同意。"
        return "同意，请按规定发布公告，公告期不少于15个工作日（第七条）。" if is_last else "同意。"

    def open_and_approve(self, spec: AccountSpec, *, submitted_on: date, registered_on: date | None = None,
                         steps: int | None = None) -> tuple[Application, date]:
        application = self.submit_opening(spec, submitted_on=submitted_on, registered_on=registered_on)
        decided = self.approve(application, self.after(submitted_on, 1), steps=steps)
        return Application.objects.get(pk=application.pk), decided

    def file(self, application: Application, filed_on: date) -> None:
        filing = Filing.objects.get(application=application, filed_on__isnull=True)
        self.file_and_confirm(filing, self.admin_of_unit(application.account), filed_on)

    def file_and_confirm(self, filing: Filing, by, filed_on: date) -> None:
        """The unit's filing as the platform records one made on paper (no form scan in the demo),
        confirmed by the district office the next working day."""
        services.filing_record(filing=filing, by=by, filed_on=filed_on,
                               provincial_filing_no=self.filing_number(filed_on), now=self.moment(filed_on))
        confirmed_on = min(self.after(filed_on, 1), self.today)
        services.filing_confirm(filing=Filing.objects.get(pk=filing.pk), by=self.users["supervisor"],
                                now=self.moment(confirmed_on))

    def story_opened(self, spec: AccountSpec) -> Application:
        """Opened after the measures: the full approval chain, then filed within 7 working days."""
        registered = self.registration_date(spec)
        submitted = self.workday_from(registered + timedelta(days=self.rng.randint(1, 6)))
        application, decided = self.open_and_approve(spec, submitted_on=submitted, registered_on=registered)
        self.file(application, self.after(decided, self.rng.randint(1, 6)))
        return application

    # Pending applications, one at each step of the chain.

    def story_pending_host(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(2 if spec.unit == "edu" else 1)
        self.submit_opening(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=3))

    def story_pending_competent(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(4)
        self.open_and_approve(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=6), steps=1)

    def story_pending_office(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(5)
        self.open_and_approve(spec, submitted_on=submitted, registered_on=None, steps=1)

    def story_rejected(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(9)
        application, _ = self.open_and_approve(spec, submitted_on=submitted, registered_on=None, steps=1)
        services.application_reject(application=application, by=self.users["supervisor"],
                                    comment="该账号定位与本单位已开设的抖音账号功能相近，且未明确运维力量和内容规划。"
                                            "请补充运维人员、更新频次安排后重新提交（第五条）。",
                                    now=self.moment(self.working_days_ago(6)))

    def story_withdrawn(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(30)
        application = self.submit_opening(spec, submitted_on=submitted, registered_on=None)
        services.application_reject(
            application=application, by=self.users[f"{spec.unit}_leader"],
            comment="街道暂无视频制作和运维力量，难以保证每周更新。建议依托区融媒体中心平台开设专版（第十二条），请撤回。",
            now=self.moment(self.working_days_ago(29)))
        application = Application.objects.get(pk=application.pk)
        services.application_withdraw(application=application, by=self.admin_of(spec),
                                      now=self.moment(self.working_days_ago(27)))

    # Filings: overdue, due soon, changed.

    def story_overdue_opening(self, spec: AccountSpec) -> None:
        """Opened 15 working days ago; the filing due within 7 working days was never made."""
        submitted = self.working_days_ago(19)
        application = self.submit_opening(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=4))
        self.approve_ending(application, self.working_days_ago(15))

    def story_filing_due_soon(self, spec: AccountSpec) -> None:
        submitted = self.working_days_ago(5)
        self.open_and_approve(spec, submitted_on=submitted, registered_on=submitted - timedelta(days=2))

    def story_overdue_change(self, spec: AccountSpec) -> None:
        """A legacy account whose responsible person changed ~10 working days ago; not yet filed again."""
        account = self.legacy(spec)
        newcomer = self.person(spec.unit, "办公室科员")
        team = [self.team_row(newcomer.name, f"{account.host_unit.name} 办公室科员", newcomer.office_phone,
                              newcomer.mobile), *self.team[spec.unit][1:]]
        application = services.change_application_submit(
            applicant=self.admin_of(spec), account=Account.objects.get(pk=account.pk),
            changes={"responsible_person": newcomer.pk, "team": team},
            reason="原账号具体责任人岗位调整，变更账号具体责任人及管理队伍成员。",
            now=self.moment(self.working_days_ago(14)),
        )
        self.approve_ending(application, self.working_days_ago(10))

    def story_renamed(self, spec: AccountSpec) -> None:
        """Registered as 黄岛公安 before the district's renaming; renamed through a change application, filed."""
        account = self.legacy(spec, name=spec.name.replace("西海岸", "黄岛"))
        submitted = self.workday_from(date(2021, 3, 8))
        application = services.change_application_submit(
            applicant=self.admin_of(spec), account=Account.objects.get(pk=account.pk), changes={"name": spec.name},
            reason=f"按照新区政务新媒体统一命名要求，账号名称由“{account.name}”变更为“{spec.name}”。",
            now=self.moment(submitted),
        )
        decided = self.approve(application, self.after(submitted, 1))
        self.file_with_a_return(application, self.after(decided, 2))

    def file_with_a_return(self, application: Application, first: date) -> None:
        """The whole filing flow on the platform: the unit submits the stamped form, the district office
        returns it for a missing seal, the unit submits again and the office confirms."""
        filing = Filing.objects.get(application=application, filed_on__isnull=True)
        admin, office = self.admin_of_unit(application.account), self.users["supervisor"]
        number = self.filing_number(first)
        steps = [
            (first, services.filing_submit, {"by": admin, "provincial_filing_no": number}),
            (self.after(first, 1), services.filing_return,
             {"by": office, "reason": "备案登记表未加盖主管单位公章，请补盖后重新提交。"}),
            (self.after(first, 3), services.filing_submit, {"by": admin, "provincial_filing_no": number}),
            (self.after(first, 4), services.filing_confirm, {"by": office, "comment": "材料齐全，予以确认。"}),
        ]
        for day, service, values in steps:
            if service is services.filing_submit:
                account = Account.objects.get(pk=filing.account_id)
                values["form"] = ContentFile(attachment1.attachment1_pdf(account, today=day), name="备案登记表.pdf")
            # The submission date is the filing's own date (it meets the deadline), so the step runs at `day`.
            service(filing=Filing.objects.get(pk=filing.pk), now=self.moment(day), **values)

    def story_pending_change(self, spec: AccountSpec) -> None:
        application = self.story_opened(spec)
        account = Account.objects.get(pk=application.account_id)
        newcomer = self.person(spec.unit, "新媒体编辑")
        team = [*self.team[spec.unit], self.team_row(newcomer.name, f"{account.host_unit.name} 新媒体编辑",
                                                     newcomer.office_phone, newcomer.mobile)]
        change = services.change_application_submit(
            applicant=self.admin_of(spec), account=account, reason="视频号运维力量调整，增补管理队伍成员并更新账号简介。",
            changes={"team": team, "introduction": account.introduction + "每周发布西海岸文旅短视频和直播预告。"},
            now=self.moment(self.working_days_ago(4)),
        )
        self.approve(change, self.working_days_ago(3), steps=1)

    # Closures: a pending application, a notice under way, one that took effect, a cancellation.

    def decision_document(self, account: Account, kind: str) -> ContentFile:
        verb = "关停" if kind == ApplicationKind.CLOSE else "注销"
        unit = account.host_unit
        title = f"{unit.name}关于{verb}“{account.name}”{account.platform.name}账号的会议纪要（摘录）"
        lines = [f"经{unit.name}领导班子集体研究，该账号关注量低、更新困难，内容已整合至本单位其他政务新媒体。",
                 f"会议决定：{verb}{account.platform.name}账号“{account.name}”（账号ID：{account.account_id}），",
                 "报管委办公室备案后向社会公告，公告期不少于15个工作日。", "（演示数据）"]
        return ContentFile(_pdf(title, lines), name=f"decision-{account.pk}.pdf")

    def close(self, spec: AccountSpec, kind: str, *, submitted_on: date, decided_on: date | None = None,
              steps: int | None = None) -> Application:
        """Apply to close or cancel; approve through the whole chain by `decided_on`, or only `steps` steps."""
        account = self.legacy(spec) if self.registration_is_legacy(spec) else Account.objects.get(
            pk=self.story_opened(spec).account_id)
        verb = "关停" if kind == ApplicationKind.CLOSE else "注销"
        application = services.closure_application_submit(
            applicant=self.admin_of(spec), account=Account.objects.get(pk=account.pk), kind=kind,
            reason=f"该账号关注量低、互动少，内容已整合至本单位微信公众号和抖音号，经研究决定{verb}（第五条、第七条）。",
            decision_kind=DecisionKind.COLLECTIVE if kind == ApplicationKind.CLOSE else DecisionKind.HEAD_CONSENT,
            decision_document=self.decision_document(account, kind), now=self.moment(submitted_on),
        )
        if decided_on is None:
            self.approve(application, self.after(submitted_on, 1), steps=steps)
        else:
            self.approve_ending(application, decided_on)
        return Application.objects.get(pk=application.pk)

    def take_effect(self, application: Application) -> None:
        """The daily job (registry_daily) closes the account on the day after the notice period."""
        notice = ClosureNotice.objects.get(application=application)
        services.closures_take_effect(now=self.moment(notice.effective_on))

    def story_pending_closure(self, spec: AccountSpec) -> None:
        self.close(spec, ApplicationKind.CLOSE, submitted_on=self.working_days_ago(3), steps=1)

    def story_closing(self, spec: AccountSpec) -> None:
        self.close(spec, ApplicationKind.CLOSE, submitted_on=self.working_days_ago(6),
                   decided_on=self.working_days_ago(3))

    def story_closed(self, spec: AccountSpec) -> None:
        self.take_effect(self.close(spec, ApplicationKind.CLOSE, submitted_on=self.working_days_ago(29),
                                    decided_on=self.working_days_ago(25)))

    def story_cancelled(self, spec: AccountSpec) -> None:
        self.take_effect(self.close(spec, ApplicationKind.CANCEL, submitted_on=self.working_days_ago(50),
                                    decided_on=self.working_days_ago(45)))

    # Deliberate violations of art. 5, which the services refuse: found by district monitoring.

    def violation(self, spec: AccountSpec, comment: str, **kwargs) -> None:
        registered = self.registration_date(spec)
        self.register(spec, registered_on=registered, on=self.working_days_ago(self.rng.randint(20, 40)),
                      actor=self.users["supervisor"], check=False, comment=comment, **kwargs)

    def story_second_wechat(self, spec: AccountSpec) -> None:
        self.violation(spec, "区级监测发现：该单位已有微信订阅号“西海岸人社”，又未经审批开设服务号，"
                             "违反“一个单位在同一平台只能开设一个账号”（第五条、第六条），补登入台账，责令整合。")

    def story_internal_host(self, spec: AccountSpec) -> None:
        self.violation(spec, "区级监测发现：以内设机构名义开设的账号（第五条），补登入台账，责令整改。")

    def story_individual(self, spec: AccountSpec) -> None:
        self.violation(spec, "区级监测发现：以个人身份注册、以单位名义运营的账号（第五条），补登入台账，责令整改。",
                       registrant_kind="individual")

    def story_legacy_unfiled(self, spec: AccountSpec) -> None:
        """Opened in 2016, found by monitoring; its art. 19 filing (due in October 2020) was never made."""
        self.register(spec, registered_on=self.registration_date(spec), on=self.working_days_ago(40),
                      actor=self.users["supervisor"],
                      comment="区级监测发现未登记的存量账号，补登入台账；第十九条补办备案逾期未办。")
        services.legacy_filing_for(Account.objects.get(host_unit=self.units[spec.unit],
                                                       platform=self.platforms[spec.platform]), calendar=self.calendar)


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF standing in for the collective decision (art. 7 requires one on record)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    page.setFont("STSong-Light", 13)
    page.drawString(56, 780, title)
    page.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        page.drawString(56, 740 - 22 * i, line)
    page.save()
    return buffer.getvalue()
