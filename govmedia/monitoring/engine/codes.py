"""Stable finding codes of monitoring, beside the text checker's categories, and their Chinese labels.

Codes are stored with findings, printed by `govmedia monitor probe` and used by other systems, so they
never change; labels may be reworded.
"""

from govmedia.textcheck.categories import LABEL as TEXT_LABEL
from govmedia.textcheck.categories import SEVERITY as TEXT_SEVERITY

BROKEN_LINK = "broken_link"
REPOST_WITHOUT_SOURCE = "repost_without_source"
REPOST_UNAPPROVED_SOURCE = "repost_unapproved_source"
NO_UPDATE_2_WEEKS = "no_update_2_weeks"
NOT_WEEKLY = "not_weekly"
NO_ORIGINAL_2_WEEKS = "no_original_2_weeks"
SLEEPING = "sleeping"
ZOMBIE = "zombie"
REPOST_TASK_OVERDUE = "repost_task_overdue"
FOLLOWER_ANOMALY = "follower_anomaly"
MESSAGE_OVERDUE = "message_overdue"  # found by interaction.services.overdue, not by reading posts
# Issue 9: a post of a unit that reviews before publishing, with no approved review behind it.
UNREVIEWED_POST = "unreviewed_post"
# Issue 9 (art. 12): the link of a service the account offers no longer works (monitoring.services.service_links).
SERVICE_LINK_BROKEN = "service_link_broken"

# Post-level codes come from one post; account-level codes from an account's posts over a window.
POST_CODES = (BROKEN_LINK, REPOST_WITHOUT_SOURCE, REPOST_UNAPPROVED_SOURCE, UNREVIEWED_POST)
ACCOUNT_CODES = (NO_UPDATE_2_WEEKS, NOT_WEEKLY, NO_ORIGINAL_2_WEEKS, SLEEPING, ZOMBIE, REPOST_TASK_OVERDUE,
                 FOLLOWER_ANOMALY, MESSAGE_OVERDUE, SERVICE_LINK_BROKEN)

LABEL: dict[str, str] = {
    **TEXT_LABEL,
    BROKEN_LINK: "链接不可用",
    REPOST_WITHOUT_SOURCE: "转载未注明来源",
    REPOST_UNAPPROVED_SOURCE: "转载来源不在许可名单",
    NO_UPDATE_2_WEEKS: "监测前两周内未更新",
    NOT_WEEKLY: "未做到每周更新",
    NO_ORIGINAL_2_WEEKS: "两周内无原创信息",
    SLEEPING: "休眠账号",
    ZOMBIE: "僵尸账号",
    REPOST_TASK_OVERDUE: "未按要求转载",
    FOLLOWER_ANOMALY: "粉丝量异常增长",
    MESSAGE_OVERDUE: "留言逾期未答复",
    UNREVIEWED_POST: "未经审核发布",
    SERVICE_LINK_BROKEN: "服务链接失效",
}

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"
SEVERITY_LABEL: dict[str, str] = {HIGH: "严重", MEDIUM: "一般", LOW: "轻微", INFO: "提示"}

SEVERITY: dict[str, str] = {
    **TEXT_SEVERITY,
    BROKEN_LINK: MEDIUM,
    REPOST_WITHOUT_SOURCE: MEDIUM,
    REPOST_UNAPPROVED_SOURCE: MEDIUM,
    NO_UPDATE_2_WEEKS: HIGH,  # a veto in the national inspection
    NOT_WEEKLY: MEDIUM,
    NO_ORIGINAL_2_WEEKS: MEDIUM,
    SLEEPING: HIGH,
    ZOMBIE: HIGH,
    REPOST_TASK_OVERDUE: MEDIUM,
    FOLLOWER_ANOMALY: MEDIUM,
    MESSAGE_OVERDUE: MEDIUM,
    UNREVIEWED_POST: HIGH,  # art. 8: nothing goes out without review
    SERVICE_LINK_BROKEN: MEDIUM,
}

# Findings of these codes go to the district office at once as well as to the unit (issue 7: prohibited
# content, secret markings and expression errors escalate). Not prohibited_mention: a prohibited term in a
# seizure notice or an anti-fraud warning is what a police account publishes (issue 8), only a note.
ESCALATED = frozenset({"prohibited", "secret_marking", "expression_error"})

# Grouping for the UI and the score: which attachment-2 indicator a code feeds.
GROUP: dict[str, str] = {
    **{code: "content" for code in TEXT_LABEL},
    BROKEN_LINK: "links",
    REPOST_WITHOUT_SOURCE: "reposts",
    REPOST_UNAPPROVED_SOURCE: "reposts",
    REPOST_TASK_OVERDUE: "reposts",
    NO_UPDATE_2_WEEKS: "activity",
    NOT_WEEKLY: "activity",
    NO_ORIGINAL_2_WEEKS: "activity",
    SLEEPING: "activity",
    ZOMBIE: "activity",
    FOLLOWER_ANOMALY: "followers",
    MESSAGE_OVERDUE: "interaction",
    UNREVIEWED_POST: "content",
    SERVICE_LINK_BROKEN: "links",
}
GROUP_LABEL = {"content": "内容", "links": "链接", "reposts": "转载", "activity": "更新", "followers": "粉丝",
               "interaction": "互动"}
