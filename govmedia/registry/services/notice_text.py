"""What a closure notice says (art. 7): its period, its date of effect and its public text.

Publishing a notice and recomputing it after the holiday calendar changes both use these, so a
regenerated notice reads exactly like a freshly published one.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from govmedia.registry.models import Application, ApplicationKind, DecisionKind
from govmedia.workdays.calendar import WorkCalendar
from govmedia.workdays.selectors import add_working_days

NOTICE_WORKING_DAYS = 15  # art. 7
PROVISIONAL = "（暂定）"


@dataclass(frozen=True)
class NoticePeriod:
    published_on: date
    ends_on: date
    effective_on: date
    provisional: bool


def notice_period(published_on: date, *, calendar: WorkCalendar | None = None) -> NoticePeriod:
    """15 working days from publication; the closure takes effect the day after."""
    end = add_working_days(published_on, NOTICE_WORKING_DAYS, calendar=calendar)
    return NoticePeriod(published_on, end.date, end.date + timedelta(days=1), end.provisional)


def closure_verb(kind: str) -> str:
    return "关停" if kind == ApplicationKind.CLOSE else "注销"


def notice_title(application: Application) -> str:
    account = application.account
    return f"关于{closure_verb(application.kind)}“{account.name}”{account.platform.name}账号的公告"


def notice_body(application: Application, period: NoticePeriod) -> str:
    account, verb = application.account, closure_verb(application.kind)
    mark = PROVISIONAL if period.provisional else ""
    decided = "集体研究决定" if application.decision_kind == DecisionKind.COLLECTIVE else "主要领导同意"
    body = (
        f"经{account.host_unit.name}{decided}，"
        f"并报管委办公室备案，{account.host_unit.name}主办的{account.platform.name}账号“{account.name}”"
        f"（账号ID：{account.account_id}）将于{period.effective_on:%Y年%m月%d日}{mark}起{verb}。\n"
        f"{verb}原因：{application.reason}\n"
        f"公告期自{period.published_on:%Y年%m月%d日}起至{period.ends_on:%Y年%m月%d日}{mark}，"
        f"不少于{NOTICE_WORKING_DAYS}个工作日。公告期内如有疑问，请与主办单位联系。"
    )
    if period.provisional:
        # The public must not read a date as final that a holiday announcement can still move.
        body += ("\n注：公告期涉及的年度法定节假日安排尚未公布，以上日期暂按周末推算；"
                 "安排公布后将重新计算并更新本公告。")
    return body


def notice_event_comment(period: NoticePeriod) -> str:
    mark = PROVISIONAL if period.provisional else ""
    return f"公告至{period.ends_on:%Y-%m-%d}{mark}，{period.effective_on:%Y-%m-%d}{mark}起生效"
