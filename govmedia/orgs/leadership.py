"""Who the 主要负责人 (principal) of a unit is, as opposed to its 分管负责人 (deputies in charge).

Attachment 1 has both: the host unit's 分管领导 line and the 主要负责人 who signs the host unit's opinion.
A person's 职务 decides: the principal holds a head post itself (局长, 主任, 镇长, …), written alone or as
one part of a combined title (“党委书记、局长”). A deputy (副局长, 党工委委员、办事处副主任) or the head of
a section inside the unit (办公室主任, 政务公开科科长) is not the unit's principal.
"""

import re

from govmedia.orgs.models import Person, Unit

# In order of preference when a unit records several (e.g. a 局长 and a 党组书记).
PRINCIPAL_TITLES = ("局长", "主任", "办事处主任", "镇长", "区长", "校长", "院长", "馆长", "站长", "所长", "中心主任",
                    "总经理", "董事长", "党委书记", "党工委书记", "党组书记", "书记")
_TITLE_PARTS = re.compile(r"[、，,；;/\s]+")


def principal_rank(title: str) -> int | None:
    """Position in PRINCIPAL_TITLES of the title's best head post; None when it names no head post."""
    ranks = [PRINCIPAL_TITLES.index(part) for part in _TITLE_PARTS.split(title) if part in PRINCIPAL_TITLES]
    return min(ranks) if ranks else None


def unit_principal(unit: Unit) -> Person | None:
    """The unit's 主要负责人 among its recorded people, or None when none holds a head post."""
    ranked = [(rank, person.pk, person) for person in Person.objects.filter(unit=unit)
              if (rank := principal_rank(person.title)) is not None]
    return min(ranked, key=lambda r: r[:2])[2] if ranked else None


def principal_signer(unit: Unit, approver: Person | None) -> str:
    """The name on the 主要负责人 signature line of the unit's opinion: the approver when they are its
    principal, else the unit's recorded principal, else blank for a hand signature; never a deputy."""
    if approver is not None and approver.unit_id == unit.pk and principal_rank(approver.title) is not None:
        return approver.name
    principal = unit_principal(unit)
    return principal.name if principal else ""
