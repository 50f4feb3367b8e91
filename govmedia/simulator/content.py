"""What the simulated accounts write: ordinary government posts, and the problems planted in some.

The ordinary sentences are clean for govmedia.textcheck with its shipped lexicons (tests check this), so
every finding on the simulator comes from a planted phrase. The planted phrases are taken from those
lexicons (typo.tsv, expression_error.tsv, a canonical.tsv near miss, advertising.tsv and its rules,
secret_marking.tsv), each written into a sentence a real post might contain.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

AREAS = ("灵山卫街道", "长江路街道", "薛家岛街道", "辛安街道", "黄岛街道", "灵珠山街道", "隐珠街道", "珠海街道",
         "王台镇", "六汪镇", "大场镇", "泊里镇")


@dataclass(frozen=True, slots=True)
class Topic:
    keywords: tuple[str, ...]  # matched against the account's name
    titles: tuple[str, ...]
    sentences: tuple[str, ...]


GENERAL = Topic(
    (),
    ("{area}召开{month}月份重点工作推进会", "{area}开展“我为群众办实事”志愿服务活动", "{month}月{day}日政务服务中心延时服务安排",
     "{area}新时代文明实践中心举办邻里节", "{area}老旧小区改造项目进展顺利", "一图读懂：{area}便民服务事项清单",
     "{area}开展垃圾分类入户宣传", "关于{area}部分路段夜间施工的公告", "{area}举办“书香社区”全民阅读活动"),
    ("会议听取了各部门近期工作情况汇报，研究部署下一阶段重点任务。",
     "活动现场，志愿者为居民提供政策咨询、义诊和家电维修等服务。",
     "下一步，将持续完善便民服务设施，让群众办事更加方便快捷。",
     "据了解，项目计划年内完工，建成后将惠及周边居民三千余户。",
     "工作人员逐户讲解相关政策，收集居民意见建议四十余条。",
     "此次活动吸引了辖区近百名居民参与，现场气氛热烈。",
     "各社区将结合实际制定具体方案，确保各项措施落到实处。",
     "市民可通过12345政务服务便民热线反映问题、提出建议。"),
)

TOPICS: tuple[Topic, ...] = (
    Topic(("教", "一中", "学校"),
          ("{month}月{day}日起义务教育阶段学校招生信息登记开始", "{area}中小学开展劳动教育实践周",
           "西海岸新区举办中小学生田径运动会", "关于做好暑期学生安全教育工作的提示", "家长必读：新学期入学报到须知"),
          ("今年全区将新增中小学学位两千余个，进一步缓解入学压力。",
           "学校组织学生走进田间地头，体验农事劳动，感受劳动之美。",
           "家长可登录招生服务平台查询学区划分和报名进度。",
           "本届运动会共设二十余个比赛项目，全区四十余所学校参加。")),
    Topic(("公安", "警"),
          ("警方提示：谨防冒充客服类电信网络诈骗", "{area}派出所开展“警民恳谈”活动", "出入境证件办理预约服务指南",
           "{month}月{day}日起户籍窗口推行“一次办好”", "交警提示：电动自行车骑行请佩戴头盔"),
          ("民警提醒广大市民，不要向陌生人透露银行卡号和验证码。",
           "群众可通过线上平台预约办理，减少排队等候时间。",
           "活动中，民警与居民面对面交流，现场解答户籍、出入境等问题。",
           "交警部门将持续开展文明骑行宣传，引导群众规范出行。")),
    Topic(("卫健", "健康", "医院", "疾控", "医保"),
          ("{area}开展家庭医生签约服务进社区活动", "秋冬季健康科普：科学运动有益身心", "预约挂号服务再升级",
           "城乡居民基本医疗保险参保缴费开始", "{month}月{day}日起疫苗接种门诊调整服务时间"),
          ("家庭医生团队为老年人提供健康评估、慢病随访等服务。",
           "专家提醒，合理膳食、适量运动是保持健康的重要方式。",
           "患者可通过微信公众号、小程序等多种渠道预约挂号。",
           "参保居民可通过线上渠道缴费，也可到社区服务站办理。")),
    Topic(("人社", "社保", "人力"),
          ("{month}月{day}日西海岸新区举办专场招聘会", "一次性创业补贴申领指南", "养老保险待遇资格认证操作说明",
           "高校毕业生就业见习岗位开始报名", "{area}举办技能培训班"),
          ("本次招聘会共有八十余家企业参加，提供就业岗位一千余个。",
           "符合条件的创业人员可通过线上平台提交申请材料。",
           "参保人员可通过手机完成待遇资格认证，无需到现场办理。",
           "培训内容涵盖家政服务、电工、烹饪等多个工种。")),
    Topic(("文旅", "图书馆", "文化"),
          ("西海岸新区周末文化活动预告", "{area}举办非遗展示展演活动", "图书馆{month}月阅读推广活动安排",
           "金沙滩啤酒城夏季活动开幕", "唐岛湾公园市民音乐会本周末举行"),
          ("活动期间将推出民俗展演、文创市集等丰富内容。",
           "市民可通过图书馆公众号预约参加讲座和亲子阅读活动。",
           "演出将持续至本月底，每晚七点在公园广场举行。",
           "非遗传承人现场展示剪纸、面塑等传统技艺。")),
    Topic(("交通", "公交"),
          ("关于调整部分公交线路的公告", "{month}月{day}日起{area}部分路段实行交通管制", "新开通的公交线路站点一览",
           "春季道路养护施工出行提示"),
          ("调整后，线路将延伸至新建居住区，方便沿线居民出行。",
           "请过往车辆提前规划路线，按照现场指示标志通行。",
           "公交公司将根据客流变化，适时优化发车间隔。")),
    Topic(("水务", "供水"),
          ("{area}部分区域计划停水通知", "供水管网改造工程顺利完成", "节约用水倡议书", "水费线上缴纳服务指南"),
          ("停水期间请居民提前做好储水准备，给您带来不便敬请谅解。",
           "改造完成后，片区供水水压和水质将得到明显改善。",
           "用户可通过微信服务号查询水费账单并在线缴费。")),
    Topic(("生态", "环境", "自然资源"),
          ("{month}月西海岸新区空气质量持续向好", "{area}开展海岸线清洁行动", "国土空间规划公众意见征集",
           "生态环境保护宣传进校园"),
          ("今年以来，全区空气质量优良天数比例同比提升。",
           "志愿者沿海岸线清理垃圾，倡导市民共同守护碧海蓝天。",
           "市民可在公示期内通过网站或现场提出意见建议。")),
    Topic(("市场", "商务", "发改", "财政", "审批"),
          ("{month}月{day}日起企业开办实现“一窗通办”", "惠企政策直通车：{area}专场宣讲会", "优化营商环境十项举措解读",
           "政务服务“跨省通办”事项再扩容"),
          ("企业开办时间压缩至一个工作日以内，实现全程网上办理。",
           "工作人员现场解读惠企政策，帮助企业用足用好政策红利。",
           "下一步将持续优化营商环境，为市场主体提供更优质的服务。")),
)


def topic_for(name: str) -> Topic:
    for topic in TOPICS:
        if any(word in name for word in topic.keywords):
            return topic
    return GENERAL


def ordinary(rng: random.Random, name: str, month: int, day: int) -> tuple[str, list[str]]:
    """A title and a few clean paragraphs for an account named `name`."""
    topic = topic_for(name)
    pool = topic.titles + GENERAL.titles if topic is not GENERAL else GENERAL.titles
    title = rng.choice(pool).format(area=rng.choice(AREAS), month=month, day=day)
    own = rng.sample(topic.sentences, k=2)
    sentences = own + rng.sample([s for s in GENERAL.sentences if s not in own], k=2)
    return title, [sentences[0] + sentences[1], sentences[2], sentences[3]]


@dataclass(frozen=True, slots=True)
class Plant:
    kind: str  # the manifest's name for it
    category: str  # the textcheck category that catches it
    phrase: str  # the exact text the checker reports
    sentence: str  # the sentence it is written into


# Each is caught by the shipped lexicons with the category given (tests/simulator/test_world.py checks it).
CONTENT_PLANTS: dict[str, tuple[Plant, ...]] = {
    "typo": (
        Plant("typo", "typo", "再接再励", "全体干部职工将再接再励，推动各项工作落地见效。"),
        Plant("typo", "typo", "按步就班", "各单位要按步就班推进项目建设，确保按期完工。"),
        Plant("typo", "typo", "迫不急待", "志愿者们迫不急待地投入到活动准备中。"),
        Plant("typo", "typo", "一股作气", "施工队伍一股作气完成了主体结构施工。"),
    ),
    "expression_error": (
        Plant("expression_error", "expression_error", "十四五计划", "对照十四五计划目标任务，逐项梳理推进情况。"),
        Plant("expression_error", "expression_error", "青岛市西海岸新区", "青岛市西海岸新区重点项目集中开工。"),
        Plant("expression_error", "expression_error", "残废人", "为辖区残废人发放辅助器具200余件。"),
        # Near misses of canonical.tsv entries (社会主义核心价值观, 优化营商环境): one character wrong.
        Plant("expression_error", "expression_error", "社会主义核心价值关", "深入践行社会主义核心价值关，弘扬文明新风。"),
        Plant("expression_error", "expression_error", "优化营商坏境", "持续优化营商坏境，提升企业获得感。"),
    ),
    "advertising": (
        Plant("advertising", "advertising", "限时抢购", "新品上架限时抢购，买一送一，欢迎选购！"),
        Plant("advertising", "advertising", "扫码购买", "本地特产礼盒扫码购买还可领取优惠券。"),
    ),
    "secret_marking": (
        Plant("secret_marking", "secret_marking", "机密★1年", "机密★1年 关于重点工作安排的情况报告（附件）。"),
        Plant("secret_marking", "secret_marking", "请勿外传", "本通报仅供参考，请勿外传。"),
    ),
}

# Outlets a repost may name (national, provincial, municipal, and the district's own); the approved-source
# list of the demo district is expected to hold these.
APPROVED_SOURCES = ("新华社", "人民日报", "央视新闻", "中国政府网", "大众日报", "山东发布", "青岛日报", "青岛发布",
                    "青岛西海岸发布")
# Self-media and commercial accounts: a repost from one of these is from an unapproved source.
UNAPPROVED_SOURCES = ("西海岸生活圈", "黄岛吃喝玩乐", "青岛同城热点")
REPOSTED_TITLES = ("国务院常务会议部署重点工作", "山东省出台稳就业若干措施", "青岛市发布便民服务新举措",
                   "全国文明城市创建工作推进会召开", "新修订的法律法规今起施行")

# District repost tasks: one is issued every TASK_CADENCE_DAYS, so a 30-day window holds one or two.
TASK_TITLES = ("关于开展安全生产月宣传活动的通知", "关于做好全国文明城市常态化创建工作的通知",
               "关于开展防范电信网络诈骗宣传月活动的通知", "关于做好节假日期间便民服务工作的通知",
               "关于开展全民国家安全教育日宣传活动的通知", "关于开展爱国卫生运动的通知")
DISTRICT_SOURCE = "青岛西海岸发布"

CAPTIONS = ("一起来看看{area}的新变化", "{month}月{day}日｜{area}邻里节现场", "带你走进{area}新时代文明实践中心",
            "{month}月{day}日｜志愿服务进社区", "{area}的清晨")
