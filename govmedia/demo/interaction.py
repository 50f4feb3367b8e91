"""The demo's interaction (issue 9, art. 12 and 14): the public's messages to several accounts of the 区教育和体育局,
灵山卫街道 and 区人民医院, some answered in time, some late, some waiting within their deadline and some overdue
(the overdue alert fires at once); a survey still open and one closed, with the public's answers; and the
services a few accounts offer, with their links.

Every message is entered, triaged, assigned, answered, followed up and closed through interaction's services,
told when they act (`now=`), and each reply goes through the review engine (the unit's reviewer approves it)
before it is released. Dates are working days back from the day the demo is loaded (timeline.py), so what is
overdue is overdue on that day.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from govmedia import clock
from govmedia.demo.publishing import Newsroom
from govmedia.demo.timeline import clock_at
from govmedia.interaction.models import Message, MessageChannel, MessageKind, QuestionKind, Reply, ServiceKind
from govmedia.interaction.services.account_services import account_service_save
from govmedia.interaction.services.messages import (
    message_assign,
    message_close,
    message_create,
    message_follow_up,
)
from govmedia.interaction.services.overdue import alert_overdue_messages
from govmedia.interaction.services.replies import reply_release, reply_save_draft, reply_submit
from govmedia.interaction.services.surveys import survey_create, survey_submit
from govmedia.orgs.models import User
from govmedia.registry.models import Account, AccountStatus

_C, _P, _M, _S, _CM = (MessageKind.CONSULTATION, MessageKind.COMPLAINT, MessageKind.MESSAGE, MessageKind.SUGGESTION,
                       MessageKind.COMMENT)
# What became of a message: answered in time or late (working days from receipt to the reply's release), followed
# up and closed, its reply waiting for review, waiting (assigned, or new) or overdue, or closed as spam.
IN_TIME, LATE, FOLLOWED, IN_REVIEW, WAITING, NEW, OVERDUE, SPAM = (
    "in_time", "late", "followed", "in_review", "waiting", "new", "overdue", "spam")


@dataclass(frozen=True)
class Letter:
    account: tuple[str, str]  # (unit code, platform code)
    kind: str
    received: int  # working days ago
    fate: str
    sender: str
    text: str
    reply: str = ""
    answered_after: int = 1  # working days after receipt, for IN_TIME, LATE and FOLLOWED
    follow_up: str = ""


_EDU_WX, _EDU_WB = ("edu", "wechat-service"), ("edu", "weibo")
_LSW_WX, _HOSP_WX = ("lsw", "wechat-subscription"), ("hospital", "wechat-service")

LETTERS: list[Letter] = [
    Letter(_EDU_WX, _C, 18, IN_TIME, "王女士",
           "孩子明年上一年级，户口在长江路街道，房子在薛家岛街道，应该到哪所学校报名？",
           "您好！义务教育阶段实行划片招生，以适龄儿童的户籍和实际居住地为准。请于信息采集期间登录“西海岸智慧教育”"
           "平台填报，系统将根据房产所在地分配学校。如有疑问，可拨打招生咨询电话0532-86980000。"),
    Letter(_EDU_WX, _P, 16, LATE, "李先生",
           "某小学食堂午餐分量偏少、价格偏高，孩子经常吃不饱，希望相关部门核查。",
           "您好！接到您的反映后，我局会同区市场监督管理局对该校食堂进行了现场检查，已责令学校调整菜品配置、"
           "公开成本核算，并将每学期组织家长代表参与膳食监督。感谢您的监督。", answered_after=8),
    Letter(_EDU_WX, _M, 13, FOLLOWED, "陈女士",
           "学校课后服务五点半结束，双职工家庭接孩子很困难，能否延长到六点？",
           "您好！根据家长意见，自本月起全区小学课后服务增设延时托管时段，最晚至18:00，家长可向学校申请。",
           answered_after=2, follow_up="电话回访：家长表示已为孩子报名延时托管，对答复满意。"),
    Letter(_EDU_WX, _C, 9, IN_TIME, "赵先生", "孩子从外省转学回来读初二，学籍转入需要准备哪些材料？",
           "您好！请携带户口本、房产证明或居住证、原学校学籍信息表到拟转入学校办理，学校审核后报区教育和体育局备案。",
           answered_after=2),
    Letter(_EDU_WX, _S, 8, WAITING, "孙先生", "建议在学校周边上下学高峰时段增设护学岗，保障学生过马路安全。"),
    Letter(_EDU_WX, _P, 9, OVERDUE, "周女士", "给孩子报的校外培训班停课两个月了，机构一直拖着不退费，请帮忙协调。"),
    Letter(_EDU_WX, _C, 6, OVERDUE, "吴先生", "寒假学校有没有托管班？怎么报名，收费标准是多少？"),
    Letter(_EDU_WX, _M, 2, IN_REVIEW, "郑女士", "孩子所在班级近期换了三次班主任，家长们很担心，希望学校能保持稳定。",
           "您好！已将您的意见转学校。学校表示因原班主任休产假作了临时调整，现已确定新班主任任教至学年结束。"),
    Letter(_EDU_WX, _M, 0, NEW, "冯先生", "请问今年冬季学生体质测试什么时候进行？"),
    Letter(_EDU_WX, _M, 4, SPAM, "", "加微信领取教育补贴，点击链接即可到账，名额有限。"),
    Letter(_EDU_WB, _CM, 5, IN_TIME, "海边的小鱼", "学区划分调整的公示在哪里能看到全文？",
           "您好，公示全文已在“西海岸教体”微信服务号和区政府网站发布，欢迎查阅并提出意见。"),
    Letter(_EDU_WB, _CM, 7, OVERDUE, "青岛家长", "冬季作息调整以后校车时间也改了吗？没有收到学校通知。"),
    Letter(_EDU_WB, _CM, 1, WAITING, "西海岸老王", "冬季长跑活动家长能参加吗？"),
    Letter(_LSW_WX, _M, 14, IN_TIME, "刘先生", "我们小区三号楼的楼道灯坏了半个月了，一直没人修。",
           "您好！社区已联系物业更换了三号楼全部楼道灯，并将楼道照明纳入每周巡查。", answered_after=2),
    Letter(_LSW_WX, _P, 11, LATE, "钱女士", "农贸市场周边早上占道经营严重，车辆进出困难，希望整治。",
           "您好！街道已会同综合执法中队对农贸市场周边开展集中整治，划定临时疏导区并安排专人早间值守。",
           answered_after=7),
    Letter(_LSW_WX, _C, 6, OVERDUE, "孙阿姨", "我们小区想申请加装电梯，要怎么申请？需要多少户同意？"),
    Letter(_LSW_WX, _S, 3, WAITING, "林先生", "建议在灵山卫农贸市场附近增设一个公交站点，方便老人买菜。"),
    Letter(_LSW_WX, _M, 2, IN_REVIEW, "何女士", "小区门口的垃圾桶每天都满溢，能否增加清运次数？",
           "您好！街道已协调环卫部门将该点位清运次数由每日一次增加到两次，并增设两组分类垃圾桶。"),
    Letter(_HOSP_WX, _C, 5, OVERDUE, "马先生", "周末儿科有没有门诊？需要提前预约吗？"),
    Letter(_HOSP_WX, _P, 1, WAITING, "黄女士", "门诊挂号排队时间太长，自助机也经常坏，希望改进。"),
]

# Who enters and handles each unit's messages (assigned to themselves), who writes the replies.
HANDLERS = {"edu": "edu_admin", "lsw": "lsw_admin", "hospital": "hospital_admin"}
SPAM_REASON = "广告诈骗信息，无需答复，已向平台举报。"

SERVICES: list[tuple[tuple[str, str], str, str, str]] = [
    (_HOSP_WX, ServiceKind.APPOINTMENT, "预约挂号", "https://yy.xhahospital.cn/wx/register"),
    (_HOSP_WX, ServiceKind.LOOKUP, "检查检验报告查询", "https://yy.xhahospital.cn/wx/report"),
    (_HOSP_WX, ServiceKind.PAYMENT, "门诊缴费", "https://yy.xhahospital.cn/wx/pay"),
    (("watersupply", "wechat-service"), ServiceKind.PAYMENT, "水费缴纳", "https://wx.xhawater.cn/pay"),
    (("watersupply", "wechat-service"), ServiceKind.LOOKUP, "停水通知查询", "https://wx.xhawater.cn/notice"),
    (("approval", "wechat-service"), ServiceKind.CERTIFICATE, "营业执照办理", "https://zwfw.xihaian.gov.cn/license"),
    (("approval", "wechat-service"), ServiceKind.APPOINTMENT, "政务服务大厅预约", "https://zwfw.xihaian.gov.cn/booking"),
    (_EDU_WX, ServiceKind.LOOKUP, "学区查询", "https://jy.xihaian.gov.cn/school-district"),
]

OPEN_SURVEY = {
    "title": "2026年中小学课后服务满意度调查",
    "description": "为进一步改进课后服务，诚邀各位家长用两分钟完成问卷。问卷不记名。",
    "questions": [
        {"kind": QuestionKind.SINGLE, "text": "您的孩子就读的学段", "options": ["小学", "初中"]},
        {"kind": QuestionKind.SINGLE, "text": "您对学校课后服务的总体评价",
         "options": ["非常满意", "满意", "一般", "不满意"]},
        {"kind": QuestionKind.MULTIPLE, "text": "您希望增加的课后服务内容（可多选）",
         "options": ["作业辅导", "体育锻炼", "艺术社团", "科技创新", "阅读"]},
        {"kind": QuestionKind.TEXT, "text": "其他意见和建议", "required": False},
    ],
}
CLOSED_SURVEY = {
    "title": "灵山卫街道2027年老旧小区改造内容意见征集",
    "description": "街道拟对辖区5个老旧小区实施改造，请居民选择最希望改造的内容。",
    "questions": [
        {"kind": QuestionKind.SINGLE, "text": "您居住的小区", "options": ["灵山花园", "卫城小区", "海韵小区",
                                                                      "渔港新村", "星光苑"]},
        {"kind": QuestionKind.MULTIPLE, "text": "您最希望改造的内容（可多选）",
         "options": ["屋面防水", "外墙保温", "加装电梯", "停车位", "雨污分流", "绿化照明"]},
        {"kind": QuestionKind.TEXT, "text": "您的其他建议", "required": False},
    ],
}
SUGGESTIONS = ("希望多开设体育类社团", "作业辅导老师能再多一些", "希望增加托管到六点的班次", "",
               "楼顶漏水多年，希望尽快改造", "停车太难，希望规划停车位", "")


def platform_message_id(account: Account, received, number: int) -> str:
    """The platform's id of the demo's `number`-th message: dated on the day it came in, Beijing time."""
    return f"{account.platform.code}-{timezone.localtime(received):%Y%m%d}{number:04d}"


class Desk:
    """Acts out the public's messages and their handling. `loader` is the demo loader; the replies are reviewed
    by `newsroom` (publishing.py), which also releases them in time order with the units' other items."""

    def __init__(self, loader, newsroom: Newsroom):
        self.loader = loader
        self.newsroom = newsroom
        self.accounts: dict[tuple[str, str], Account] = {}

    def account(self, key: tuple[str, str]) -> Account:
        if key not in self.accounts:
            self.accounts[key] = Account.objects.select_related("host_unit").get(
                host_unit=self.loader.units[key[0]], platform__code=key[1], status=AccountStatus.NORMAL)
        return self.accounts[key]

    def handler(self, letter: Letter) -> User:
        return self.loader.users[HANDLERS[letter.account[0]]]

    def run(self) -> None:
        for number, letter in enumerate(sorted(LETTERS, key=lambda row: -row.received), start=1):
            self.receive(letter, number)
        self.services()
        self.surveys()

    def alert(self) -> None:
        """The hourly overdue check, once everything is in place: the overdue messages' alerts fire."""
        alert_overdue_messages(now=clock.now())

    def receive(self, letter: Letter, number: int) -> None:
        ago, moment = self.loader.working_days_ago, self.loader.moment
        day = ago(letter.received)
        received = moment(day) if letter.received else clock.now() - timedelta(hours=1)
        by = self.handler(letter)
        account = self.account(letter.account)
        channel = MessageChannel.API if letter.account == _EDU_WB else MessageChannel.MANUAL
        # Entered as it came in: its 收到 event is at its own 收到时间, and every step after it.
        message = message_create(account=account, by=by, channel=channel, kind=letter.kind, text=letter.text,
                                 received_at=received, sender_name=letter.sender,
                                 platform_message_id=platform_message_id(account, received, number), now=received)
        handled = max(moment(day), received + timedelta(minutes=self.loader.rng.randint(5, 40)))
        if letter.fate == NEW:
            return
        if letter.fate == SPAM:
            message_close(message=message, by=by, reason=SPAM_REASON, now=handled)
            return
        message_assign(message=message, by=by, assignee=by, now=handled)
        if letter.fate in (IN_TIME, LATE, FOLLOWED):
            self.answer_on(message, letter, ago(letter.received - letter.answered_after))
        elif letter.fate == IN_REVIEW:
            self.draft_reply(message, letter, ago(letter.received - 1))

    def draft_reply(self, message, letter: Letter, day) -> Reply:
        """The handler writes the reply and submits it to the unit's review chain."""
        by = self.handler(letter)
        with clock_at(self.loader.moment(day)) as now:
            reply = reply_save_draft(message=message, by=by, text=letter.reply, now=now)
        with clock_at(self.loader.moment(day)) as now:
            return reply_submit(reply=reply, by=by, now=now)

    def answer_on(self, message, letter: Letter, day) -> None:
        """Reviewed and approved on `day`, released then (in time order with the ledger's other items); a
        follow-up the next working day, and the message closed."""
        reply = self.draft_reply(message, letter, day)
        self.newsroom.decide(reply.draft, day)
        by = self.handler(letter)
        released = self.loader.moment(day)
        followed = self.loader.moment(self.loader.after(day, 1)) if letter.follow_up else None

        def release():
            reply_release(reply=Reply.objects.get(pk=reply.pk), by=by, now=released)
            if followed is not None:
                current = Message.objects.get(pk=message.pk)
                message_follow_up(message=current, by=by, note=letter.follow_up, now=followed)
                message_close(message=current, by=by, reason="已答复并回访，群众满意。", now=followed)

        self.newsroom.schedule(released, release)

    def services(self) -> None:
        for key, kind, name, url in SERVICES:
            account = self.account(key)
            code = key[0]
            account_service_save(account=account, by=self.loader.users[f"{code}_admin"], kind=kind, name=name,
                                 url=url)

    def surveys(self) -> None:
        ago, moment = self.loader.working_days_ago, self.loader.moment
        edu, lsw = self.account(_EDU_WX), self.account(_LSW_WX)
        opened = moment(ago(8))
        survey = survey_create(account=edu, by=self.loader.users["edu_admin"], opens_at=opened,
                               closes_at=opened + timedelta(days=21), now=opened - timedelta(hours=2), **OPEN_SURVEY)
        self.answer(survey, opened, 36)
        opened = moment(ago(22))
        survey = survey_create(account=lsw, by=self.loader.users["lsw_admin"], opens_at=opened,
                               closes_at=moment(ago(12)), now=opened - timedelta(hours=1), **CLOSED_SURVEY)
        self.answer(survey, opened, 58, until=survey.closes_at)

    def answer(self, survey, opened, count: int, *, until=None) -> None:
        """`count` browsers answer between the opening and `until` (or an hour ago), from a few networks."""
        rng = self.loader.rng
        until = until or clock.now() - timedelta(hours=1)
        span = (until - opened).total_seconds()
        questions = list(survey.questions.all())
        for moment in sorted(opened + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)):
            answers = {}
            for question in questions:
                if question.kind == QuestionKind.SINGLE:
                    answers[str(question.pk)] = rng.choices(question.options,
                                                            weights=range(len(question.options) + 1, 1, -1))[0]
                elif question.kind == QuestionKind.MULTIPLE:
                    answers[str(question.pk)] = rng.sample(question.options, rng.randint(1, 3))
                else:
                    answers[str(question.pk)] = rng.choice(SUGGESTIONS)
            browser = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
            survey_submit(token=survey.token, browser_id=browser, ip=f"10.{rng.randint(0, 3)}.{rng.randint(0, 40)}.7",
                          answers=answers, now=moment)


def add_interaction(loader, newsroom: Newsroom) -> Desk:
    desk = Desk(loader, newsroom)
    desk.run()
    return desk
