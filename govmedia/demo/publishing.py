"""The demo's review before publish (issue 9): a month of items reviewed and published on two units' ledgers,
and drafts waiting in every queue, each acted out through publishing's services at its own moment.

区教育和体育局 (written by edu_operator, the contractor's operator of its accounts; reviewed by edu_reviewer,
signed by edu_leader) and 灵山卫街道 (written by lsw_admin, reviewed by lsw_reviewer, signed by lsw_leader)
publish routine, sensitive and major items, one rejected and resubmitted, one with a checker finding the
reviewer kept with a reason, reposts naming approved sources and an emergency release; the supervisor is the
district office's step. The review engine stamps its writes with the one clock, so each action runs with the
clock set to its moment (timeline.clock_at): every rule of the engine holds as it would have that day.
Publications (and the releases of replies, interaction.py) are recorded last, in time order, so each ledger
chain runs in the order its items went out; the ledger then gets its daily anchors for the days past, as the
scheduler would have made them.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from govmedia import clock
from govmedia.demo.timeline import clock_at
from govmedia.monitoring.models import RepostTask
from govmedia.orgs.models import Person, Role, User
from govmedia.publishing.models import Draft, Grade, LedgerEntry, Origin
from govmedia.publishing.selectors import pending_step, unresolved_serious_findings
from govmedia.publishing.services.drafts import draft_create, draft_edit
from govmedia.publishing.services.ledger import ledger_anchor_day
from govmedia.publishing.services.publication import publication_record
from govmedia.publishing.services.reposts import repost_task_draft
from govmedia.publishing.services.review import draft_submit, finding_accept, review_approve, review_reject
from govmedia.registry.models import Account, AccountStatus

# New logins for the review chains (the others exist already: edu_reviewer, <code>_leader).
REVIEWERS = {"lsw": ("lsw_reviewer", "党政办公室副主任")}
# Who writes each unit's drafts.
AUTHORS = {"edu": "edu_operator", "lsw": "lsw_admin"}


@dataclass(frozen=True)
class Item:
    title: str
    paragraphs: tuple[str, ...]
    platforms: tuple[str, ...]
    grade: str = Grade.ROUTINE
    source: str = ""  # a repost's source; "" for an original


def _item(title, platforms, *paragraphs, grade=Grade.ROUTINE, source="") -> Item:
    return Item(title, paragraphs, platforms, grade, source)


_WX, _WB, _DY = "wechat-service", "weibo", "douyin"
_LSW_WX = "wechat-subscription"

# -- 区教育和体育局 ----------------------------------------------------------------------------------

EDU_AFTER_SCHOOL = _item(
    "全区中小学课后服务工作安排出炉", (_WX, _WB),
    "为进一步减轻学生课业负担、满足家长接送需求，区教育和体育局对本学期中小学课后服务工作作出安排。",
    "课后服务每周一至周五开展，原则上不早于当地正常下班时间结束，内容以作业辅导、体育锻炼、阅读和社团活动为主。",
    "学生自愿参加，家长可通过学校或“西海岸智慧教育”平台报名。")
EDU_FIRE_DRILL = _item(
    "全区中小学开展冬季消防安全疏散演练", (_WB,),
    "近日，全区各中小学校、幼儿园集中开展冬季消防安全疏散演练，共有八万余名师生参加。",
    "演练中，师生按照预定路线有序撤离，消防救援人员现场讲解了灭火器使用方法和火场逃生要领。")
EDU_ENROLMENT = _item(
    "关于做好2027年义务教育阶段学校招生入学准备工作的通知", (_WX,),
    "各镇街教育办、各中小学校：",
    "为做好2027年义务教育阶段学校招生入学工作，现将有关事项通知如下。",
    "一、信息采集时间为2026年12月1日至12月5日，请各校提前做好宣传和咨询安排。",
    "二、各校要严格落实划片招生、免试就近入学政策，不得以任何形式举行或变相举行入学考试。")
EDU_ENROLMENT_FIXED = (
    "各镇街教育办、各中小学校：",
    "为做好2027年义务教育阶段学校招生入学工作，现将有关事项通知如下。",
    "一、信息采集时间为2026年12月8日至12月12日，请各校提前做好宣传和咨询安排。",
    "二、各校要严格落实划片招生、免试就近入学政策，不得以任何形式举行或变相举行入学考试。",
    "三、咨询电话：0532-86980000（工作日上午9:00至下午5:00）。")
EDU_FEES = _item(
    "关于规范校外培训机构收费行为的通告", (_WX, _WB),
    "为规范校外培训机构收费行为，维护学生和家长合法权益，现就有关事项通告如下。",
    "校外培训机构收取培训费用应当通过预收费监管账户，一次性收费时间跨度不得超过3个月或60课时。",
    "对违规收费、卷款跑路等行为，欢迎群众拨打12345政务服务便民热线举报。",
    grade=Grade.SENSITIVE)
EDU_HISTORY = _item(
    "西海岸一中建校八十周年：从校史档案里走来", (_WX,),
    "今年是区第一中学建校八十周年。校史馆珍藏的第一份招生简章上，写着“中华民国三十五年秋季招收初中新生”。",
    "八十年来，一中培养了三万余名毕业生，从这里走出了科学家、教师、医生和扎根基层的干部。",
    "校庆期间，学校将举办校史展、校友论坛和师生文艺汇演，欢迎各届校友回校参观。")
EDU_WINTER_HOURS = _item(
    "全区中小学冬季作息时间调整的通知", (_WX, _WB, _DY),
    "根据气象部门预测，今冬我区气温偏低。经研究，自下周一起全区中小学实行冬季作息时间。",
    "小学上午到校时间不早于8:10，初中不早于7:50，各校据此调整课程安排和校车时刻，并提前告知家长。",
    grade=Grade.MAJOR)
EDU_REPOST = _item(
    "青岛市发布冬季中小学生安全提示", (_WB,),
    "冬季天气寒冷干燥，是火灾、一氧化碳中毒和交通事故的易发期。",
    "请家长加强对孩子的安全教育，不在冰面上玩耍，不私自燃放烟花爆竹，出行注意防滑防冻。",
    source="青岛发布")
EDU_LIBRARY = _item(
    "区图书馆与中小学共建“书香校园”", (_WB,),
    "区教育和体育局与区图书馆签订合作协议，全区中小学可免费借用图书馆流动书车和数字阅读资源。",
    "首批二十所学校已开通校园借阅点，学生凭校园卡即可借阅。")
EDU_SPORTS = _item(
    "全区中小学生冬季长跑活动启动", (_WB, _DY),
    "全区中小学生冬季长跑活动日前启动，活动持续至明年3月。",
    "各校将结合大课间和体育课组织长跑，并对参与率高的班级进行表彰。")
EDU_EMERGENCY = _item(
    "寒潮蓝色预警：明日全区幼儿园、中小学停课一天", (_WX, _WB),
    "区气象台发布寒潮蓝色预警，明日最低气温将降至零下12摄氏度，并伴有七级大风。",
    "经研究，明日全区幼儿园、中小学停课一天，学生居家学习，学校安排教师在线答疑。请家长做好看护。",
    grade=Grade.MAJOR)

# Waiting in the queues.
EDU_WAITING_REVIEW = (
    _item("区教育和体育局开展“教育服务进社区”活动", (_WB,),
          "区教育和体育局组织教研员、心理健康教师走进社区，为家长提供升学咨询和家庭教育指导。",
          "活动将持续到本月底，覆盖全区二十个社区。"),
    _item("全区中小学食堂食品安全专项检查结果公布", (_WX,),
          "区教育和体育局会同区市场监督管理局对全区中小学食堂开展了食品安全专项检查。",
          "本次共检查学校食堂126家，发现问题38处，已全部督促整改到位。"),
)
EDU_WAITING_SIGN = _item(
    "关于调整部分学校学区划分的公示", (_WX, _WB),
    "根据新建住宅小区入住情况，拟对长江路街道部分学校学区划分作出调整，现予公示。",
    "公示期为5个工作日。对公示内容有异议的，请在公示期内以书面形式向区教育和体育局反映。",
    grade=Grade.SENSITIVE)
EDU_WAITING_OFFICE = _item(
    "区教育和体育局2027年教育重点民生实事项目征求意见", (_WX, _WB),
    "2027年，我区拟实施新建改扩建中小学、幼儿园12所，新增学位1.2万个。",
    "现公开征求社会各界意见，意见可通过“西海岸教体”微信服务号留言提交。",
    grade=Grade.MAJOR)
EDU_REJECTED = _item(
    "全区教师招聘笔试成绩公布", (_WX,),
    "2026年全区公开招聘中小学教师笔试成绩已经公布，考生可登录报名系统查询。",
    "资格复审时间另行通知。")
EDU_PLAIN = _item(
    "期末考试安排和寒假放假时间（草稿）", (_WX,),
    "根据校历安排，全区中小学期末考试定于明年1月中旬进行，寒假自1月下旬开始。",
    "具体时间待局务会研究后确定。")

# -- 灵山卫街道 -------------------------------------------------------------------------------------

LSW_HEATING = _item(
    "灵山卫街道开展冬季供暖入户走访", (_LSW_WX,),
    "入冬以来，灵山卫街道组织社区网格员走访辖区独居老人和困难家庭，逐户了解供暖情况。",
    "对室温不达标的，街道已协调供热企业上门排查，确保群众温暖过冬。")
LSW_RENOVATION = _item(
    "灵山卫街道2027年老旧小区改造计划公示", (_LSW_WX, _WB),
    "经居民意愿征集和现场踏勘，街道拟将5个小区纳入2027年老旧小区改造计划，现予公示。",
    "改造内容包括屋面防水、外墙保温、雨污分流和加装电梯等，公示期为7天。",
    grade=Grade.SENSITIVE)
LSW_REPOST = _item(
    "西海岸新区冬季清洁取暖补贴开始申报", (_LSW_WX,),
    "西海岸新区2026年冬季清洁取暖补贴即日起开始申报，符合条件的居民可到所在社区办理。",
    source="青岛西海岸发布")
LSW_VOLUNTEERS = _item(
    "灵山卫街道志愿者走进养老院开展助老服务", (_WB,),
    "周末，街道志愿服务队走进辖区养老院，为老人理发、测量血压、表演节目。",
    "今年以来，街道已开展助老志愿服务60余场次。")
LSW_MARKET = _item(
    "灵山卫农贸市场提升改造完成，下周一恢复营业", (_LSW_WX, _WB),
    "灵山卫农贸市场提升改造工程已完工，新增摊位80个，下周一起恢复营业。",
    "市场营业时间为每天6:00至18:00。")
LSW_WAITING_REVIEW = _item(
    "灵山卫街道冬季森林防火提示", (_LSW_WX,),
    "冬季天干物燥，是森林火灾高发期。请进山人员严禁携带火种，严禁野外用火。",
    "发现火情请立即拨打119或森林防火热线。")
LSW_WAITING_SIGN = _item(
    "关于灵山卫街道部分路段临时交通管制的通告", (_LSW_WX, _WB),
    "因雨污管网改造施工，灵山卫街道部分路段将于下周起实行临时交通管制，请过往车辆绕行。",
    grade=Grade.SENSITIVE)

REJECT_ENROLMENT = "信息采集时间与局里发文不一致（应为12月8日至12月12日），并请补上咨询电话后重新提交。"
REJECT_RESULTS = "成绩公布前须经人社部门会签，请附会签意见，并写明资格复审的时间和地点后再提交。"
KEEP_HISTORY = "引用校史档案中1946年招生简章原文，属史料引用，保留原文并已加引号。"
EMERGENCY_REASON = "寒潮蓝色预警，停课通知须于当晚发布（第十三条）"


@dataclass
class Newsroom:
    """Acts out the units' review work. `loader` is the demo loader: its units, users, timeline and rng."""

    loader: object
    pending: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)

    def user(self, username: str) -> User:
        return self.loader.users[username]

    # -- the people --------------------------------------------------------------------------------

    def add_reviewers(self) -> None:
        for code, (username, title) in REVIEWERS.items():
            person: Person = self.loader.person(code, title)
            self.loader.users[username] = User.objects.create(
                username=username, password=self.loader.password, role=Role.REVIEWER, person=person,
                has_demo_password=True)

    def reviewer_for(self, draft: Draft, role: str) -> User:
        code = self.loader.code_of[draft.unit_id]
        return {Role.REVIEWER: self.user(f"{code}_reviewer"), Role.LEADER: self.user(f"{code}_leader"),
                Role.SUPERVISOR: self.user("supervisor")}[role]

    # -- actions, each at its moment ---------------------------------------------------------------

    def accounts(self, code: str, platforms: tuple[str, ...]) -> list[Account]:
        unit = self.loader.units[code]
        found = {a.platform.code: a for a in Account.objects.filter(host_unit=unit, status=AccountStatus.NORMAL,
                                                                    platform__code__in=platforms)
                 .select_related("platform")}
        return [found[p] for p in platforms]

    def write(self, code: str, item: Item, day: date) -> Draft:
        with clock_at(self.loader.moment(day)):
            return draft_create(by=self.user(AUTHORS[code]), unit=self.loader.units[code], title=item.title,
                                body_html=_html(item.paragraphs), accounts=self.accounts(code, item.platforms),
                                origin=Origin.REPOST if item.source else Origin.ORIGINAL, source_name=item.source,
                                marked_grade=item.grade)

    def submit(self, draft: Draft, day: date, *, emergency_reason: str = "") -> Draft:
        with clock_at(self.loader.moment(day)):
            return draft_submit(draft=draft, by=draft.author, emergency_reason=emergency_reason)

    def decide(self, draft: Draft, day: date, *, steps: int | None = None, comment: str = "") -> Draft:
        """Approve the pending steps in turn (all of them, or `steps`), each by its unit's holder of the role."""
        while (step := pending_step(draft)) is not None and steps != 0:
            with clock_at(self.loader.moment(day)):
                draft = review_approve(draft=draft, by=self.reviewer_for(draft, step.role), comment=comment)
            steps = None if steps is None else steps - 1
        return draft

    def reject(self, draft: Draft, day: date, comment: str) -> Draft:
        with clock_at(self.loader.moment(day)):
            return review_reject(draft=draft, by=self.reviewer_for(draft, pending_step(draft).role), comment=comment)

    def keep_findings(self, draft: Draft, day: date, reason: str) -> None:
        reviewer = self.reviewer_for(draft, pending_step(draft).role)
        for finding in unresolved_serious_findings(draft):
            with clock_at(self.loader.moment(day)):
                finding_accept(draft=draft, finding=finding, by=reviewer, reason=reason)

    def publish(self, draft: Draft, day: date) -> None:
        """Record the approved draft's publication at a moment of `day`, in time order (see `schedule`)."""
        moment = self.loader.moment(day)
        account = draft.accounts.select_related("platform").order_by("pk").first()
        url = self.post_url(account)
        recorded = moment + timedelta(minutes=self.loader.rng.randint(3, 20))
        self.schedule(recorded, lambda: publication_record(draft=Draft.objects.get(pk=draft.pk), by=draft.author,
                                                           url=url, published_at=moment))

    def schedule(self, moment: datetime, action: Callable[[], object]) -> None:
        """What goes on a ledger waits until everything has been reviewed, then happens in time order
        (`publish_in_order`): each unit's chain is in the order its items went out, posts and replies alike."""
        self.pending.append((moment, len(self.pending), action))

    def publish_in_order(self) -> None:
        for moment, _, action in sorted(self.pending, key=lambda row: row[:2]):
            with clock_at(moment):
                action()
        self.pending.clear()
        self.anchor_days()

    def post_url(self, account: Account) -> str:
        rng = self.loader.rng
        token = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(22))
        digits = "".join(rng.choice(string.digits) for _ in range(19))
        match account.platform.code:
            case "weibo":
                return f"https://weibo.com/{account.account_id}/{token[:9]}"
            case "douyin":
                return f"https://www.douyin.com/video/7{digits[1:]}"
            case _:
                return f"https://mp.weixin.qq.com/s/{token}"

    def through(self, code: str, item: Item, *, written: int, published: int) -> Draft:
        """An item written `written` working days ago, reviewed along its chain and published `published`
        working days ago."""
        ago = self.loader.working_days_ago
        draft = self.submit(self.write(code, item, ago(written)), ago(written))
        draft = self.decide(draft, ago(written) if written == published else ago(written - 1))
        self.publish(draft, ago(published))
        return draft

    # -- the month -----------------------------------------------------------------------------------

    def run(self) -> None:
        self.add_reviewers()
        self.edu_month()
        self.lsw_month()
        self.waiting()

    def edu_month(self) -> None:
        ago = self.loader.working_days_ago
        self.through("edu", EDU_AFTER_SCHOOL, written=21, published=20)
        self.through("edu", EDU_FIRE_DRILL, written=19, published=19)
        # Rejected by the reviewer, corrected and resubmitted: version 2 is approved.
        draft = self.submit(self.write("edu", EDU_ENROLMENT, ago(17)), ago(17))
        draft = self.reject(draft, ago(16), REJECT_ENROLMENT)
        with clock_at(self.loader.moment(ago(16))):
            draft = draft_edit(draft=draft, by=draft.author, title=draft.title,
                               body_html=_html(EDU_ENROLMENT_FIXED))
        draft = self.decide(self.submit(draft, ago(16)), ago(15), comment="已按要求修改，同意发布。")
        self.publish(draft, ago(15))
        self.through("edu", EDU_FEES, written=14, published=13)
        # A quotation the checker flags as an expression error: the reviewer keeps it, with the reason.
        draft = self.submit(self.write("edu", EDU_HISTORY, ago(12)), ago(12))
        self.keep_findings(draft, ago(11), KEEP_HISTORY)
        self.publish(self.decide(draft, ago(11)), ago(11))
        self.through("edu", EDU_WINTER_HOURS, written=10, published=8)
        self.through("edu", EDU_REPOST, written=7, published=7)
        # Released in an emergency on the head's word alone; the full review is overdue.
        draft = self.submit(self.write("edu", EDU_EMERGENCY, ago(6)), ago(6), emergency_reason=EMERGENCY_REASON)
        self.publish(self.decide(draft, ago(6), steps=1), ago(6))
        self.through("edu", EDU_LIBRARY, written=4, published=4)
        self.through("edu", EDU_SPORTS, written=2, published=1)

    def lsw_month(self) -> None:
        self.through("lsw", LSW_HEATING, written=20, published=20)
        self.through("lsw", LSW_RENOVATION, written=15, published=13)
        self.through("lsw", LSW_REPOST, written=9, published=9)
        self.through("lsw", LSW_VOLUNTEERS, written=6, published=5)
        self.through("lsw", LSW_MARKET, written=3, published=2)

    def waiting(self) -> None:
        """Drafts in each queue: the reviewers', the heads' to sign, the district office's step of a major
        item, one rejected back to its author, a plain draft and one taken from a required-repost task."""
        ago = self.loader.working_days_ago
        for n, item in enumerate(EDU_WAITING_REVIEW):
            self.submit(self.write("edu", item, ago(2 - n)), ago(2 - n))
        self.decide(self.submit(self.write("edu", EDU_WAITING_SIGN, ago(2)), ago(2)), ago(1), steps=1)
        self.decide(self.submit(self.write("edu", EDU_WAITING_OFFICE, ago(3)), ago(3)), ago(2), steps=2)
        self.reject(self.submit(self.write("edu", EDU_REJECTED, ago(2)), ago(2)), ago(1), REJECT_RESULTS)
        self.write("edu", EDU_PLAIN, ago(1))
        self.submit(self.write("lsw", LSW_WAITING_REVIEW, ago(1)), ago(1))
        self.decide(self.submit(self.write("lsw", LSW_WAITING_SIGN, ago(2)), ago(2)), ago(1), steps=1)
        task = RepostTask.objects.filter(issued_at__lt=clock.now(), accounts__host_unit=self.loader.units["edu"]) \
            .order_by("-issued_at").distinct().first()
        if task is not None:
            with clock_at(max(task.issued_at + timedelta(hours=1), self.loader.moment(ago(1)))):
                repost_task_draft(task=task, unit=self.loader.units["edu"], by=self.user(AUTHORS["edu"]))

    def anchor_days(self) -> None:
        """Each past day's anchor since the first entry, made just after midnight as the scheduler makes them."""
        first = LedgerEntry.objects.order_by("recorded_at").values_list("recorded_at", flat=True).first()
        if first is None:
            return
        day, now = timezone.localtime(first).date(), clock.now()
        while (made := timezone.make_aware(datetime.combine(day + timedelta(days=1), time(0, 10)))) <= now:
            ledger_anchor_day(day=day, now=made)
            day += timedelta(days=1)


def _html(paragraphs: tuple[str, ...]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def add_publishing(loader) -> Newsroom:
    """The units' review work; what it published is recorded by `publish_in_order` once the replies to the
    public (interaction.py) have been reviewed too."""
    newsroom = Newsroom(loader)
    newsroom.run()
    return newsroom
