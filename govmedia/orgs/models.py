from django.contrib.auth.models import AbstractUser
from django.db import models


class UnitKind(models.TextChoices):
    DISTRICT_OFFICE = "district_office", "管委办公室"
    DEPARTMENT = "department", "政府部门"
    TOWN_STREET = "town_street", "镇街"
    SUBORDINATE = "subordinate", "下属单位"
    INTERNAL = "internal", "内设机构"
    ENTERPRISE = "enterprise", "企事业单位（行业监管）"
    CONTRACTOR = "contractor", "运维服务机构"


# Art. 5: internal departments may not own accounts; contractors only operate them (art. 4).
ACCOUNT_OWNING_KINDS = {UnitKind.DISTRICT_OFFICE, UnitKind.DEPARTMENT, UnitKind.TOWN_STREET,
                        UnitKind.SUBORDINATE, UnitKind.ENTERPRISE}


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    competent_unit = models.ForeignKey(
        "self", verbose_name="主管单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervised_units",
        help_text="负责指导监督本单位政务新媒体工作的单位；企事业单位为行业主管部门",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True, help_text="对外公开的联系电话，见于关停注销公告")
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def may_own_accounts(self) -> bool:
        return self.kind in ACCOUNT_OWNING_KINDS


class Person(models.Model):
    name = models.CharField("姓名", max_length=40)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="people")
    title = models.CharField("职务", max_length=60, blank=True)
    office_phone = models.CharField("办公电话", max_length=30, blank=True)
    mobile = models.CharField("手机号码", max_length=20, blank=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["unit__name", "name"]

    def __str__(self):
        return f"{self.name}（{self.unit.short_name or self.unit.name}{self.title and ' ' + self.title}）"


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", "区级监管员"
    UNIT_ADMIN = "unit_admin", "单位管理员"
    LEADER = "leader", "单位负责人"
    REVIEWER = "reviewer", "审核员"
    OPERATOR = "operator", "运维人员"


class User(AbstractUser):
    """A person who can log in. Their unit and role decide everything they may see (orgs.selectors)."""

    person = models.OneToOneField(
        Person, verbose_name="人员", null=True, blank=True, on_delete=models.PROTECT, related_name="user"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.OPERATOR)
    # Whether the password last set was the demo's published one, noted while the plaintext is at hand,
    # so the start-up check (demo.checks) finds every such login with one query, without hashing.
    has_demo_password = models.BooleanField("使用演示密码", default=False, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def set_password(self, raw_password):
        from govmedia.demo.district import DEMO_PASSWORD  # the demo app imports this module

        super().set_password(raw_password)
        self.has_demo_password = raw_password == DEMO_PASSWORD

    @property
    def unit(self) -> Unit | None:
        return self.person.unit if self.person_id else None

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.get_username()

    @property
    def is_district_supervisor(self) -> bool:
        return self.is_superuser or self.role == Role.SUPERVISOR


class ApiToken(models.Model):
    """A personal credential for the JSON API (/api/v1/): it acts as its user, with exactly the user's
    rights, and stops working when the user is deactivated or the token revoked. Only a hash is stored; the
    token is shown once (orgs.api_tokens)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=12, help_text="令牌前几位，用于辨认")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user.get_username()} {self.prefix}…"
