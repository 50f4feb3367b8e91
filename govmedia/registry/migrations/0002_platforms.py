from django.db import migrations

# (code, name, family, exclusivity key, account type label)
PLATFORMS = [
    ("weibo", "新浪微博", "weibo", "weibo", ""),
    ("wechat-service", "微信服务号", "wechat", "wechat-oa", "服务号"),
    ("wechat-subscription", "微信订阅号", "wechat", "wechat-oa", "订阅号"),
    ("wechat-miniprogram", "微信小程序", "wechat", "wechat-mp", "小程序"),
    ("wechat-channels", "微信视频号", "other", "wechat-channels", ""),
    ("weishi", "微视", "weishi", "weishi", ""),
    ("app", "移动客户端（APP）", "app", "app", ""),
    ("toutiao", "今日头条", "other", "toutiao", ""),
    ("douyin", "抖音", "other", "douyin", ""),
    ("kuaishou", "快手", "other", "kuaishou", ""),
    ("huoshan", "抖音火山版（火山小视频）", "other", "huoshan", ""),
    ("bilibili", "哔哩哔哩", "other", "bilibili", ""),
    ("yidian", "一点资讯", "other", "yidian", ""),
    ("meipian", "美篇", "other", "meipian", ""),
    ("zhihu", "知乎", "other", "zhihu", ""),
    ("jianshu", "简书", "other", "jianshu", ""),
    ("xiaohongshu", "小红书", "other", "xiaohongshu", ""),
    ("baijiahao", "百家号", "other", "baijiahao", ""),
]


def add_platforms(apps, schema_editor):
    Platform = apps.get_model("registry", "Platform")
    for order, (code, name, family, key, label) in enumerate(PLATFORMS, start=1):
        Platform.objects.update_or_create(
            code=code,
            defaults={"name": name, "family": family, "exclusivity_key": key, "account_type_label": label,
                      "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add_platforms, migrations.RunPython.noop)]
