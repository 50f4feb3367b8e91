"""The demo district, as data: units, the logins to print, and the account ledger.

Everything here is invented for demonstration. Unit names follow the real pattern of
青岛西海岸新区 (黄岛区) so the screens look familiar; people, phone numbers and platform
ids are generated (see loader.py) and belong to nobody.

Dates: years below are historic and absolute. Whatever must be "recent" (pending applications,
overdue filings, notices under way) is placed by its story relative to the day the demo is loaded.
"""

from dataclasses import dataclass

from govmedia.orgs.models import Role, UnitKind

DISTRICT = "青岛西海岸新区"
OFFICE = "青岛西海岸新区管委办公室"
DEMO_PASSWORD = "Demo2026gov"  # ≥10 characters, letters and digits: passes AUTH_PASSWORD_VALIDATORS


@dataclass(frozen=True)
class UnitSpec:
    code: str  # stable key; also the prefix of the unit's demo logins (edu_admin, edu_leader)
    name: str
    short_name: str
    kind: str
    competent: str | None = None  # code of the competent unit (主管单位)
    parent: str | None = None
    leader_title: str = "副局长"
    staff_title: str = "办公室科员"
    duties: str = ""  # what its accounts publish, for the introductions
    menu: str = "general"  # which column (menu) template its WeChat accounts and apps use


_D, _T, _S = UnitKind.DEPARTMENT, UnitKind.TOWN_STREET, UnitKind.SUBORDINATE


def _dept(code, name, short, duties, menu="general"):
    return UnitSpec(code, name, short, _D, competent="office", duties=duties, menu=menu)


def _street(code, name, short):
    return UnitSpec(code, name, short, _T, competent="office", leader_title="党工委委员、办事处副主任",
                    staff_title="党政办公室工作人员", duties=f"发布{short}辖区工作动态、便民服务和社区资讯", menu="town")


def _town(code, name, short):
    return UnitSpec(code, name, short, _T, competent="office", leader_title="党委委员、副镇长",
                    staff_title="党政办公室工作人员", duties=f"发布{short}镇工作动态、惠民政策和乡村振兴资讯", menu="town")


UNITS: list[UnitSpec] = [
    UnitSpec("office", OFFICE, "管委办公室", UnitKind.DISTRICT_OFFICE, leader_title="副主任",
             staff_title="政务公开科科员", duties="发布新区权威信息、政策解读和重大活动", menu="office"),
    _dept("fgj", "区发展和改革局", "发改局", "发布全区发展改革政策、重大项目建设和价格信息"),
    _dept("edu", "区教育和体育局", "教体局", "发布全区教育体育政策、招生入学、教育资讯和办事服务信息", "edu"),
    _dept("police", "区公安分局", "公安分局", "发布警情通报、防范提示和公安政务服务信息", "police"),
    _dept("civil", "区民政局", "民政局", "发布养老服务、社会救助、婚姻登记等民政服务信息"),
    _dept("finance", "区财政局", "财政局", "发布财政政策、预决算公开和惠企资金信息"),
    _dept("hrss", "区人力资源和社会保障局", "人社局", "发布就业创业、社会保障、人才政策和招聘信息", "hrss"),
    _dept("nr", "区自然资源局", "自然资源局", "发布国土空间规划、不动产登记和自然资源保护信息"),
    _dept("eco", "区生态环境分局", "生态环境分局", "发布环境质量、生态保护和环保执法信息"),
    _dept("housing", "区住房和城乡建设局", "住建局", "发布住房保障、城市建设和建筑市场信息"),
    _dept("transport", "区交通运输局", "交通运输局", "发布公交线路调整、道路施工和出行服务信息"),
    _dept("water", "区水务局", "水务局", "发布供水排水、防汛抗旱和水资源管理信息"),
    _dept("agri", "区农业农村局", "农业农村局", "发布惠农政策、农业技术和乡村振兴工作动态"),
    _dept("commerce", "区商务局", "商务局", "发布商贸流通、招商引资和消费促进信息"),
    _dept("culture", "区文化和旅游局", "文旅局", "发布文化活动、景区资讯和旅游服务信息", "culture"),
    _dept("health", "区卫生健康局", "卫健局", "发布健康科普、医疗服务和卫生健康政策信息", "health"),
    _dept("emergency", "区应急管理局", "应急局", "发布安全生产、防灾减灾和应急科普信息"),
    _dept("market", "区市场监督管理局", "市场监管局", "发布食品药品安全、市场秩序和企业登记信息"),
    _dept("approval", "区行政审批服务局", "审批局", "发布政务服务事项、办事指南和审批改革信息", "service"),
    _dept("medinsure", "区医疗保障局", "医保局", "发布医保政策、待遇查询和经办服务信息", "service"),
    _dept("enforce", "区综合行政执法局", "综合执法局", "发布市容环境、城市管理和执法服务信息"),
    _street("lsw", "灵山卫街道", "灵山卫"),
    _street("cjl", "长江路街道", "长江路"),
    _street("xjd", "薛家岛街道", "薛家岛"),
    _street("xa", "辛安街道", "辛安"),
    _street("hd", "黄岛街道", "黄岛"),
    _street("lzs", "灵珠山街道", "灵珠山"),
    _street("yz", "隐珠街道", "隐珠"),
    _street("zh", "珠海街道", "珠海"),
    _town("wt", "王台镇", "王台"),
    _town("lw", "六汪镇", "六汪"),
    _town("dc", "大场镇", "大场"),
    _town("bl", "泊里镇", "泊里"),
    UnitSpec("school", "区第一中学", "一中", _S, competent="edu", parent="edu", leader_title="副校长",
             staff_title="办公室干事", duties="发布学校新闻、招生信息和家校服务", menu="school"),
    UnitSpec("hospital", "区人民医院", "人民医院", _S, competent="health", parent="health", leader_title="副院长",
             staff_title="宣传科科员", duties="提供预约挂号、报告查询，发布就医指南和健康科普", menu="hospital"),
    UnitSpec("cdc", "区疾病预防控制中心", "疾控中心", _S, competent="health", parent="health", leader_title="副主任",
             staff_title="健康教育科科员", duties="发布疾病防控知识、疫苗接种和公共卫生提示"),
    UnitSpec("library", "区图书馆", "图书馆", _S, competent="culture", parent="culture", leader_title="副馆长",
             staff_title="读者服务部馆员", duties="提供借阅查询、活动预约，发布阅读推广活动", menu="library"),
    UnitSpec("sic", "区社会保险事业中心", "社保中心", _S, competent="hrss", parent="hrss", leader_title="副主任",
             staff_title="综合科科员", duties="提供社保查询、待遇认证和经办指南", menu="service"),
    UnitSpec("eduoffice", "区教育和体育局办公室", "办公室", UnitKind.INTERNAL, competent="edu", parent="edu",
             leader_title="主任", staff_title="科员"),
    UnitSpec("healthpub", "区卫生健康局宣传科", "宣传科", UnitKind.INTERNAL, competent="health", parent="health",
             leader_title="科长", staff_title="科员"),
    UnitSpec("watersupply", "区供水有限公司", "供水公司", UnitKind.ENTERPRISE, competent="water",
             leader_title="副总经理", staff_title="客户服务部专员", duties="提供水费缴纳、停水通知和用水报修服务",
             menu="utility"),
    UnitSpec("mediaA", "青岛西海岸智媒文化传播有限公司", "智媒文化", UnitKind.CONTRACTOR, competent="office",
             leader_title="副总经理", staff_title="新媒体运营专员"),
    UnitSpec("mediaB", "青岛西海岸云帆数字科技有限公司", "云帆数字", UnitKind.CONTRACTOR, competent="office",
             leader_title="总经理", staff_title="内容编辑"),
]

# Who operates which unit's accounts under a service contract (art. 4); others run their own.
OPERATED_BY = {"edu": "mediaA", "school": "mediaA", "office": "mediaB", "culture": "mediaB", "library": "mediaB",
               "health": "healthpub"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role_label: str
    unit: str
    password: str


def _login(username, role, unit) -> DemoUser:
    return DemoUser(username, str(role.label), unit, DEMO_PASSWORD)


# The logins printed after loading, one per role. Every other account-owning unit also has
# <code>_admin (单位管理员) and <code>_leader (单位负责人) with the same password.
DEMO_USERS: list[DemoUser] = [
    _login("supervisor", Role.SUPERVISOR, OFFICE),
    _login("edu_admin", Role.UNIT_ADMIN, "区教育和体育局"),
    _login("edu_leader", Role.LEADER, "区教育和体育局"),
    _login("edu_reviewer", Role.REVIEWER, "区教育和体育局"),
    _login("edu_operator", Role.OPERATOR, "青岛西海岸智媒文化传播有限公司"),
    _login("lsw_admin", Role.UNIT_ADMIN, "灵山卫街道"),
    _login("lsw_leader", Role.LEADER, "灵山卫街道"),
    _login("lsw_reviewer", Role.REVIEWER, "灵山卫街道"),
    _login("hospital_leader", Role.LEADER, "区人民医院"),
    DemoUser("admin", "系统管理员（后台 /admin/）", "—", DEMO_PASSWORD),
]


@dataclass(frozen=True)
class AccountSpec:
    unit: str
    platform: str  # Platform.code, as seeded by registry/migrations/0002_platforms.py
    name: str
    year: int | None  # registration year; None when the story places it relative to today
    followers: int  # follower count today (0 for accounts not yet open)
    story: str = ""
    intro: str = ""


# Stories (see stories.py): "" is an ordinary account: a legacy account registered in the ledger
# and filed under art. 19 if opened before the measures took effect, otherwise opened through
# the approval chain and filed within 7 working days. The others set up the demo's situations.
_A = AccountSpec
ACCOUNTS: list[AccountSpec] = [
    # 管委办公室
    _A("office", "wechat-subscription", "西海岸发布", 2014, 386_000),
    _A("office", "weibo", "青岛西海岸发布", 2014, 512_000),
    _A("office", "yidian", "西海岸发布", 2016, 12_400),
    _A("office", "app", "西海岸新闻", 2017, 268_000),
    _A("office", "toutiao", "西海岸发布", 2017, 154_000),
    _A("office", "douyin", "西海岸发布", 2018, 423_000),
    _A("office", "baijiahao", "西海岸发布", 2019, 31_000),
    _A("office", "wechat-channels", "西海岸发布", 2021, 88_000),
    _A("office", "wechat-miniprogram", "西海岸政务服务", 2021, 96_000),
    # 部门
    _A("fgj", "wechat-subscription", "西海岸发改", 2016, 18_200),
    _A("fgj", "weibo", "西海岸发改", 2015, 6_200),
    _A("fgj", "toutiao", "西海岸发改", 2021, 3_400),
    _A("edu", "weibo", "西海岸教体", 2014, 38_000),
    _A("edu", "wechat-service", "西海岸教体", 2015, 245_000),
    _A("edu", "douyin", "西海岸教体", 2019, 86_000),
    _A("edu", "toutiao", "西海岸教体", 2021, 12_000),
    _A("edu", "wechat-channels", "西海岸教体", 2022, 15_300),
    _A("edu", "app", "西海岸智慧教育", 2022, 64_000),
    _A("edu", "xiaohongshu", "西海岸教体", None, 0, "pending_host"),
    _A("police", "wechat-subscription", "西海岸公安", 2014, 298_000),
    _A("police", "weibo", "西海岸公安", 2014, 176_000, "renamed"),
    _A("police", "douyin", "西海岸公安", 2018, 356_000),
    _A("police", "toutiao", "西海岸公安", 2018, 41_000),
    _A("police", "kuaishou", "西海岸公安", 2019, 92_000),
    _A("police", "zhihu", "西海岸公安", 2019, 8_600),
    _A("police", "wechat-channels", "西海岸公安", 2021, 67_000),
    _A("civil", "wechat-subscription", "西海岸民政", 2016, 42_000),
    _A("civil", "weibo", "西海岸民政", 2016, 5_100),
    _A("civil", "douyin", "西海岸民政", 2021, 9_800),
    _A("finance", "wechat-subscription", "西海岸财政", 2017, 23_000),
    _A("finance", "toutiao", "西海岸财政", 2022, 1_800),
    _A("hrss", "wechat-subscription", "西海岸人社", 2015, 168_000),
    _A("hrss", "weibo", "西海岸人社", 2015, 15_000),
    _A("hrss", "douyin", "西海岸人社", 2021, 36_000),
    _A("hrss", "wechat-service", "西海岸人社服务", 2022, 21_000, "second_wechat"),
    _A("hrss", "wechat-miniprogram", "西海岸人社通", 2023, 44_000),
    _A("nr", "wechat-subscription", "西海岸自然资源", 2019, 16_000),
    _A("nr", "weibo", "西海岸自然资源", 2019, 2_900),
    _A("nr", "toutiao", "西海岸自然资源", 2022, 1_400),
    _A("eco", "weibo", "西海岸生态环境", 2016, 8_800),
    _A("eco", "wechat-subscription", "西海岸生态环境", 2017, 21_000),
    _A("eco", "douyin", "西海岸生态环境", 2023, 4_300),
    _A("eco", "wechat-channels", "西海岸生态环境", None, 0, "filing_due_soon"),
    _A("housing", "wechat-subscription", "西海岸住建", 2016, 39_000),
    _A("housing", "weibo", "西海岸住建", 2016, 4_700),
    _A("housing", "toutiao", "西海岸住建", 2021, 2_600),
    _A("transport", "wechat-subscription", "西海岸交通", 2015, 57_000),
    _A("transport", "weibo", "西海岸交通", 2015, 12_000),
    _A("transport", "weishi", "西海岸交通", 2017, 640, "closed"),
    _A("transport", "douyin", "西海岸交通", 2020, 19_000),
    _A("water", "wechat-subscription", "西海岸水务", 2018, 14_000),
    _A("water", "weibo", "西海岸水务", 2018, 2_100),
    _A("water", "douyin", "西海岸水务", 2022, 3_600),
    _A("agri", "weibo", "西海岸农业农村", 2017, 1_900),
    _A("agri", "huoshan", "西海岸农业农村", 2018, 380, "closing"),
    _A("agri", "wechat-subscription", "西海岸农业农村", 2019, 11_000),
    _A("agri", "douyin", "西海岸农业农村", 2021, 8_700),
    _A("commerce", "wechat-subscription", "西海岸商务", 2018, 13_000),
    _A("commerce", "weibo", "西海岸商务", 2018, 2_600),
    _A("commerce", "toutiao", "西海岸商务", 2021, 1_900),
    _A("commerce", "douyin", "西海岸商务", 2022, 5_200),
    _A("commerce", "xiaohongshu", "西海岸商务", None, 0, "rejected"),
    _A("culture", "weibo", "西海岸文旅", 2014, 86_000),
    _A("culture", "wechat-subscription", "西海岸文旅", 2015, 132_000),
    _A("culture", "douyin", "西海岸文旅", 2018, 215_000),
    _A("culture", "toutiao", "西海岸文旅", 2019, 18_000),
    _A("culture", "wechat-channels", "西海岸文旅", 2021, 34_000, "pending_change"),
    # Three look-alike small accounts: candidates for consolidation (art. 5, 整合).
    _A("culture", "kuaishou", "西海岸文旅快讯", 2021, 146, "",
       "西海岸文旅资讯，发布景区活动、文化演出和旅游攻略。"),
    _A("culture", "bilibili", "西海岸文旅频道", 2022, 87, "",
       "西海岸文旅资讯：景区活动、文化演出、旅游攻略。"),
    _A("culture", "xiaohongshu", "西海岸文旅生活", 2023, 263, "",
       "西海岸文旅资讯分享，景区活动、文化演出、旅游攻略。"),
    _A("health", "wechat-service", "黄岛卫健", 2015, 118_000),
    _A("health", "weibo", "西海岸卫健", 2016, 9_600),
    _A("health", "douyin", "西海岸卫健", 2019, 48_000),
    _A("health", "toutiao", "西海岸卫健", 2021, 5_600),
    _A("health", "wechat-miniprogram", "西海岸健康通", 2022, 52_000),
    _A("emergency", "wechat-subscription", "西海岸应急", 2018, 16_000),
    _A("emergency", "weibo", "西海岸应急", 2018, 3_900),
    _A("emergency", "toutiao", "西海岸应急", 2021, 1_200),
    _A("emergency", "douyin", "西海岸应急", None, 1_150, "overdue_opening"),
    _A("market", "wechat-subscription", "西海岸市场监管", 2019, 27_000, "overdue_change"),
    _A("market", "weibo", "西海岸市场监管", 2019, 4_400),
    _A("market", "douyin", "西海岸市场监管", 2021, 7_600),
    _A("approval", "wechat-service", "西海岸审批服务", 2017, 88_000),
    _A("approval", "weibo", "西海岸审批服务", 2017, 3_300),
    _A("approval", "wechat-miniprogram", "西海岸掌上办", 2021, 59_000),
    _A("medinsure", "wechat-service", "西海岸医保", 2020, 73_000),
    _A("medinsure", "weibo", "西海岸医保", 2021, 2_700),
    _A("medinsure", "douyin", "西海岸医保", 2022, 6_900),
    _A("enforce", "wechat-subscription", "西海岸综合执法", 2019, 15_000),
    _A("enforce", "weibo", "西海岸综合执法", 2019, 3_100),
    _A("enforce", "douyin", "西海岸综合执法", 2021, 11_000),
    # 镇街
    _A("lsw", "wechat-subscription", "灵山卫街道发布", 2016, 24_000),
    _A("lsw", "weibo", "灵山卫街道", 2016, 1_800),
    _A("lsw", "douyin", "灵山卫街道", 2020, 6_800),
    _A("lsw", "wechat-channels", "灵山卫街道", 2022, 3_100),
    _A("lsw", "kuaishou", "灵山卫街道", None, 0, "pending_office"),
    _A("cjl", "wechat-subscription", "长江路街道", 2017, 19_000),
    _A("cjl", "weibo", "长江路街道", 2017, 1_300),
    _A("cjl", "douyin", "长江路街道", 2021, 4_200),
    _A("cjl", "toutiao", "长江路街道", 2022, 650),
    _A("xjd", "wechat-subscription", "魅力薛家岛", 2016, 21_000),
    _A("xjd", "weibo", "魅力薛家岛", 2016, 1_500),
    _A("xjd", "douyin", "魅力薛家岛", 2021, 5_900),
    _A("xjd", "kuaishou", "魅力薛家岛", 2022, 1_200),
    _A("xa", "wechat-subscription", "辛安发布", 2017, 17_000),
    _A("xa", "weibo", "辛安发布", 2017, 980),
    _A("xa", "meipian", "辛安街道", 2018, 420),
    _A("xa", "douyin", "辛安发布", 2021, 3_800),
    _A("hd", "weibo", "黄岛街道发布", 2015, 1_600),
    _A("hd", "wechat-subscription", "黄岛街道发布", 2016, 22_000),
    _A("hd", "douyin", "黄岛街道发布", 2021, 4_600),
    _A("hd", "wechat-channels", "黄岛街道发布", 2022, 1_900),
    _A("lzs", "wechat-subscription", "灵珠山发布", 2018, 9_800),
    _A("lzs", "weibo", "灵珠山发布", 2018, 460),
    _A("lzs", "toutiao", "灵珠山发布", 2021, 380),
    _A("lzs", "douyin", "灵珠山发布", 2022, 2_300),
    _A("yz", "wechat-subscription", "隐珠街道", 2017, 16_000),
    _A("yz", "weibo", "隐珠街道", 2017, 890),
    _A("yz", "douyin", "隐珠街道", 2021, 3_300),
    _A("yz", "bilibili", "隐珠街道", None, 0, "withdrawn"),
    _A("zh", "wechat-subscription", "珠海街道发布", 2017, 15_000),
    _A("zh", "weibo", "珠海街道发布", 2017, 760),
    _A("zh", "douyin", "珠海街道发布", 2021, 4_100),
    _A("zh", "kuaishou", "珠海街道发布", 2022, 900),
    _A("wt", "wechat-subscription", "魅力王台", 2016, 13_000),
    _A("wt", "weibo", "魅力王台", 2016, 640),
    _A("wt", "meipian", "王台镇", 2019, 310),
    _A("wt", "douyin", "魅力王台", 2020, 5_200),
    _A("lw", "weibo", "六汪发布", 2016, 350, "legacy_unfiled"),
    _A("lw", "wechat-subscription", "六汪发布", 2018, 7_600),
    _A("lw", "douyin", "六汪发布", 2022, 2_800),
    _A("dc", "wechat-subscription", "大场镇发布", 2017, 8_200),
    _A("dc", "weibo", "大场镇发布", 2017, 520),
    _A("dc", "douyin", "大场镇", 2021, 3_500),
    _A("dc", "kuaishou", "大场镇便民服务", 2023, 1_450, "individual"),
    _A("bl", "wechat-subscription", "泊里发布", 2017, 9_100),
    _A("bl", "weibo", "泊里发布", 2017, 480),
    _A("bl", "jianshu", "泊里镇", 2018, 120, "cancelled"),
    _A("bl", "douyin", "泊里发布", 2021, 3_900),
    # 下属单位、企业
    _A("school", "wechat-subscription", "西海岸一中", 2016, 28_000),
    _A("school", "douyin", "西海岸一中", 2022, 9_600),
    _A("school", "wechat-channels", "西海岸一中", None, 0, "pending_competent"),
    _A("hospital", "wechat-service", "西海岸新区人民医院", 2015, 156_000),
    _A("hospital", "weibo", "西海岸新区人民医院", 2016, 7_200),
    _A("hospital", "toutiao", "西海岸新区人民医院", 2022, 3_100),
    _A("hospital", "douyin", "西海岸新区人民医院", None, 0, "pending_host"),
    _A("cdc", "wechat-subscription", "西海岸疾控", 2016, 64_000),
    _A("cdc", "weibo", "西海岸疾控", 2017, 5_400),
    _A("cdc", "douyin", "西海岸疾控", 2022, 12_000),
    _A("library", "wechat-service", "西海岸图书馆", 2016, 37_000),
    _A("library", "douyin", "西海岸图书馆", 2021, 6_400),
    _A("library", "kuaishou", "西海岸图书馆", 2021, 280, "pending_closure"),
    _A("sic", "wechat-service", "西海岸社保", 2018, 121_000),
    _A("sic", "app", "西海岸社保", 2019, 45_000),
    _A("watersupply", "wechat-service", "西海岸供水", 2016, 98_000),
    _A("watersupply", "wechat-miniprogram", "西海岸供水缴费", 2021, 36_000),
    # Art. 5 forbids this host: an internal department (区卫生健康局宣传科) runs its own account.
    _A("healthpub", "kuaishou", "黄岛卫健宣传科", 2022, 870, "internal_host"),
]

# Menus (栏目设置) for WeChat accounts, mini programs and apps: (一级菜单, [二级菜单, …]).
MENUS: dict[str, list[tuple[str, list[str]]]] = {
    "general": [("政务公开", ["通知公告", "政策解读", "工作动态"]), ("便民服务", ["办事指南", "服务电话"]),
                ("互动", ["留言咨询", "意见征集"])],
    "office": [("西海岸要闻", ["权威发布", "政策解读", "新闻发布会"]), ("政务服务", ["爱山东·西海岸", "12345热线"]),
               ("互动", ["我要留言", "网上调查"])],
    "edu": [("教体资讯", ["教体要闻", "通知公告"]), ("招生入学", ["入学政策", "报名入口", "学区查询"]),
            ("互动", ["留言咨询", "局长信箱"])],
    "police": [("警务资讯", ["警情通报", "防骗提示"]), ("办事服务", ["户政业务", "出入境预约", "交管服务"]),
               ("互动", ["警民留言"])],
    "hrss": [("人社资讯", ["政策解读", "通知公告"]), ("就业创业", ["招聘信息", "创业补贴"]),
             ("社保服务", ["参保查询", "待遇认证"])],
    "culture": [("文旅资讯", ["文旅动态", "活动预告"]), ("游西海岸", ["景区导览", "旅游线路"]),
                ("互动", ["投诉咨询"])],
    "health": [("健康资讯", ["卫健动态", "健康科普"]), ("便民服务", ["预约挂号", "疫苗接种", "家庭医生签约"]),
               ("互动", ["留言咨询"])],
    "service": [("政务公开", ["通知公告", "政策解读"]), ("办事服务", ["办事指南", "网上办理", "进度查询"]),
                ("互动", ["留言咨询"])],
    "town": [("政务公开", ["通知公告", "工作动态"]), ("便民服务", ["办事指南", "社区电话"]),
             ("互动", ["民情留言"])],
    "school": [("学校概况", ["学校简介", "校园新闻"]), ("招生信息", ["招生简章", "录取查询"]),
               ("家校互动", ["家长留言"])],
    "hospital": [("就医服务", ["预约挂号", "报告查询", "门诊缴费"]), ("医院概况", ["医院简介", "专家介绍"]),
                 ("健康科普", ["健康讲堂"])],
    "library": [("读者服务", ["借阅查询", "续借图书", "活动预约"]), ("馆情资讯", ["开馆时间", "通知公告"])],
    "utility": [("用水服务", ["水费缴纳", "用水报修", "停水通知"]), ("营业厅", ["网点查询", "办事指南"])],
}
