"""Who may do what with roles and people: the one place that knows these rules.

The back office (its drop-downs, read-only fields and form checks), the services that save users
and people, and the registry (who approves, who acts only on assigned accounts) all ask here, so no
form can be more generous than the rules.

- Only district supervisors (and superusers) grant the supervisor role, staff or superuser rights,
  groups and permissions.
- A unit admin grants unit_admin, leader, reviewer and operator to people of their own remit, and
  picks people of their own remit only. They never change their own role or person, and never
  touch a district supervisor's login.
- A unit admin keeps people inside their remit: a person is created in, and moved between, units
  of that remit only.
- The back office belongs to supervisors (and superusers) and unit admins: `is_staff` follows the role
  when a login is saved, and the admin site asks `may_use_back_office`, so a stale flag opens nothing.
- An account's monitoring sources, and the push-API tokens that are credentials of its push source, are
  kept by district supervisors and by the unit admins whose remit holds the account's host unit. Posts
  exported from the platform's back end are imported by those, and by the operators assigned to the
  account (they run that back end, art. 4).
"""

from django.db.models import Q, QuerySet

# Module imports both ways: orgs.selectors asks this module about operators, this one asks it for remits.
from govmedia.orgs import selectors
from govmedia.orgs.models import Person, Role, Unit, User

UNIT_GRANTABLE_ROLES = frozenset({Role.UNIT_ADMIN, Role.LEADER, Role.REVIEWER, Role.OPERATOR})
# The host unit's and the competent unit's step of an approval chain is decided by these roles.
APPROVER_ROLES = frozenset({Role.LEADER, Role.UNIT_ADMIN})
# Rights that open the whole back office or the whole district: the district office grants them.
SUPERVISOR_ONLY_USER_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")
# Roles that work in the back office: supervisors keep the calendar and lexicons, unit admins their people.
BACK_OFFICE_ROLES = frozenset({Role.SUPERVISOR, Role.UNIT_ADMIN})
# Kept by the system, never typed in: when a login was created and last used.
SYSTEM_KEPT_USER_FIELDS = ("date_joined", "last_login")


def role_uses_back_office(user: User) -> bool:
    """What `is_staff` must be for this login: its role (or superuser status) decides, nothing else."""
    return user.is_superuser or user.role in BACK_OFFICE_ROLES


def may_use_back_office(user) -> bool:
    """Whether the admin site serves this user at all (asked by the site for every page, and by each admin)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and role_uses_back_office(user))


def may_manage_people(user: User) -> bool:
    """Whether the user maintains people and logins at all (each within their remit); the back office
    also asks for staff status before showing them its pages."""
    if not user.is_active:
        return False
    return user.is_district_supervisor or user.role == Role.UNIT_ADMIN


def acts_only_on_assigned_accounts(user: User) -> bool:
    """An operator acts only on the accounts assigned to them (art. 4: contractors operate, units host)."""
    return user.is_authenticated and user.role == Role.OPERATOR and not user.is_district_supervisor


def administers_unit(user: User, unit_id: int) -> bool:
    """Whether the user is a unit admin of this very unit (not of a unit above it)."""
    return user.role == Role.UNIT_ADMIN and user.person_id is not None and user.person.unit_id == unit_id


def may_edit_account_sources(user: User, account) -> bool:
    """Whether the user keeps this account's monitoring sources and issues or revokes its push tokens.
    `account` is a registry Account (only its host unit is asked)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_district_supervisor:
        return True
    return user.role == Role.UNIT_ADMIN and account.host_unit_id in selectors.unit_ids_managed_by(user)


def accounts_whose_sources_user_keeps(user: User) -> QuerySet:
    """The accounts `may_edit_account_sources` allows, as a queryset: the choices of a form that picks one."""
    from govmedia.registry.models import Account  # the registry imports this module

    if not (user.is_authenticated and user.is_active):
        return Account.objects.none()
    if user.is_district_supervisor:
        return Account.objects.all()
    if user.role != Role.UNIT_ADMIN:
        return Account.objects.none()
    return Account.objects.filter(host_unit_id__in=selectors.unit_ids_managed_by(user))


def may_import_posts(user: User, account) -> bool:
    """Whether the user may import this account's posts from a platform export: whoever keeps its
    sources, and the operators assigned to it."""
    if may_edit_account_sources(user, account):
        return True
    return (user.is_authenticated and user.is_active and acts_only_on_assigned_accounts(user)
            and account.operators.filter(pk=user.pk).exists())


def may_place_in_unit(granter: User, unit_id: int | None) -> bool:
    """Whether the granter may keep a person in this unit (create them there, or move them there)."""
    if granter.is_district_supervisor:
        return True
    if unit_id is None or not may_manage_people(granter):
        return False
    return unit_id in selectors.unit_ids_managed_by(granter)


def units_placeable_by(granter: User) -> QuerySet[Unit]:
    """The units the granter may keep people in: the choices of the person form."""
    if granter.is_district_supervisor:
        return Unit.objects.all()
    if not may_manage_people(granter):
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=selectors.unit_ids_managed_by(granter))


def people_grantable_by(granter: User) -> QuerySet[Person]:
    """The people the granter may attach a login to: the choices of the user form."""
    return Person.objects.select_related("unit").filter(unit__in=units_placeable_by(granter))


def may_change_person(granter: User, person: Person) -> bool:
    """A person of the remit, unless their login is a district supervisor's (that one is the office's)."""
    if granter.is_district_supervisor:
        return True
    login = User.objects.filter(person=person).first() if person.pk else None
    if login is not None and login.is_district_supervisor:
        return False
    return may_place_in_unit(granter, person.unit_id)


def may_change_user(granter: User, user: User) -> bool:
    """Whether the granter may edit this login at all (password, name, active flag …)."""
    if granter.is_district_supervisor:
        return True
    if not may_manage_people(granter) or user.is_district_supervisor:
        return False
    return user.person_id is not None and may_place_in_unit(granter, user.person.unit_id)


def grantable_roles(granter: User) -> list[str]:
    if granter.is_district_supervisor:
        return list(Role.values)
    return [role for role in Role.values if role in UNIT_GRANTABLE_ROLES] if may_manage_people(granter) else []


def may_change_grants_of(granter: User, user: User) -> bool:
    """Whether the granter may change the role and person of this login (never their own, below the office)."""
    return granter.is_district_supervisor or user.pk is None or user.pk != granter.pk


def may_grant_role(granter: User, role: str, person: Person | None, *, user: User | None = None) -> bool:
    """Whether `granter` may give `role` to the login `user` (None: a new login) attached to `person`.

    A unit admin never changes their own role or person: what they grant themselves is what they had.
    """
    if granter.is_district_supervisor:
        return True
    if user is not None and not may_change_grants_of(granter, user):
        return role == user.role and person is not None and person.pk == user.person_id
    if role not in grantable_roles(granter) or person is None:
        return False
    return may_place_in_unit(granter, person.unit_id)


def may_grant_supervisor_only_fields(granter: User) -> bool:
    return granter.is_district_supervisor


def may_change_active_flag_of(granter: User, user: User) -> bool:
    """Nobody deactivates their own login (they would lock themselves out); others in the remit, yes."""
    return user.pk is None or user.pk != granter.pk


def refused_user_form_grants(granter: User, data, user: User | None) -> list[str]:
    """What a posted user form asks for beyond `granter`'s rights (the form ignores or refuses it; the
    attempt is still a security event). `data` is the POST; `user` the login edited (None: a new one)."""
    refused = []
    if not may_grant_supervisor_only_fields(granter):
        refused += [name for name in SUPERVISOR_ONLY_USER_FIELDS if name in data]
    role = data.get("role")
    own_grants_fixed = user is not None and not may_change_grants_of(granter, user)
    if role and (role not in grantable_roles(granter) or (own_grants_fixed and role != user.role)):
        refused.append(f"role={role[:20]}")
    person_id = data.get("person")
    if person_id and not granter.is_district_supervisor:
        try:
            allowed = people_grantable_by(granter).filter(pk=int(person_id)).exists()
        except ValueError:
            allowed = False
        if not allowed or (own_grants_fixed and str(user.person_id) != person_id):
            refused.append(f"person={person_id[:20]}")
    return refused


# ---------------------------------------------------------------- continuous monitoring (issue 7)


def accounts_acted_for(user: User) -> QuerySet:
    """The accounts whose unit the user acts for: host unit within their remit, or, for an operator, assigned
    to them (the registry's rule, registry.services.access.may_act_on). A unit keeps its accounts' sources and
    answers for their findings as it keeps their records. Also the choices of a form that picks an account."""
    # Imported here: the registry imports this module.
    from govmedia.registry.selectors import accounts_visible_to

    accounts = accounts_visible_to(user)
    if not (user.is_authenticated and user.is_active):
        return accounts.none()
    ids = selectors.unit_ids_managed_by(user)
    if acts_only_on_assigned_accounts(user) or ids is None:
        return accounts
    return accounts.filter(host_unit_id__in=ids)


def may_act_for_account(user: User, account) -> bool:
    return accounts_acted_for(user).filter(pk=account.pk).exists()


def may_triage_finding(user: User, finding) -> bool:
    """Confirm, dismiss as a false positive, mark fixed, reopen and assign: whoever acts for the account's unit
    (accounts_acted_for: its remit's staff, a competent unit included, the operator assigned) and supervisors."""
    return may_act_for_account(user, finding.account)


def users_assignable_for(account) -> QuerySet[User]:
    """Who may be put in charge of an account's finding: an active login of its host unit, or a supervisor.
    The assignment form's choices and the service's check."""
    return User.objects.select_related("person").filter(is_active=True).filter(
        Q(person__unit_id=account.host_unit_id) | Q(role=Role.SUPERVISOR) | Q(is_superuser=True))


def may_read_on_duty(user: User) -> bool:
    """Every active login reads the posts it sees (值班读网); which posts those are, the selectors decide."""
    return user.is_authenticated and user.is_active


def may_edit_approved_sources(user: User) -> bool:
    """The approved-source list is the district's (art. 11): supervisors edit it, everyone reads it."""
    return user.is_authenticated and user.is_active and user.is_district_supervisor


def may_issue_repost_tasks(user: User) -> bool:
    """The district office issues required reposts (art. 11) and changes or withdraws them."""
    return user.is_authenticated and user.is_active and user.is_district_supervisor


def may_configure_monitoring(user: User) -> bool:
    """Per-platform reading intervals and the rules' thresholds hold for the whole district."""
    return user.is_authenticated and user.is_active and user.is_district_supervisor


# ---------------------------------------------------------------- interaction and services (issue 9)

def may_handle_message(user: User, message) -> bool:
    """Read a message (its sender's contact included), triage, assign, draft the reply, follow up, close:
    whoever acts for the account's unit (accounts_acted_for) and supervisors."""
    return may_act_for_account(user, message.account)


def may_enter_messages(user: User, account) -> bool:
    """Enter or import the public's messages to this account: whoever acts for its unit."""
    return may_act_for_account(user, account)


def wrote_reply(user: User, draft) -> bool:
    """Whether the draft is a reply (to a message) that the user wrote or edited: they may not review it."""
    if draft.kind != "reply":
        return False
    from govmedia.interaction.models import Reply  # interaction imports this module

    return Reply.editors.through.objects.filter(reply__draft=draft, user=user).exists()


def may_release_reply(user: User, reply) -> bool:
    """Release an approved reply (post it on the platform and record it): whoever handles the message."""
    return may_handle_message(user, reply.message)


def may_configure_reply_limits(user: User) -> bool:
    """The working-day reply limits hold for the whole district."""
    return user.is_authenticated and user.is_active and user.is_district_supervisor


def may_manage_survey(user: User, account) -> bool:
    """Create, close and export an account's surveys and read their answers: whoever acts for its unit."""
    return may_act_for_account(user, account)


def may_edit_account_services(user: User, account) -> bool:
    """Keep the list of services an account offers (art. 12): whoever acts for its unit."""
    return may_act_for_account(user, account)
# ---------------------------------------------------------------- review before publish (issue 9)


def may_write_drafts_for(user: User, unit_id: int) -> bool:
    """Whoever acts for a unit's accounts writes drafts for them (its own staff, a competent unit's, the
    operator assigned to one of them)."""
    return accounts_acted_for(user).filter(host_unit_id=unit_id).exists()


def may_review(user: User, step) -> bool:
    """Whether the user may decide this review step (a publishing ReviewStep). Nobody reviews their own draft,
    nor a reply they wrote or edited (wrote_reply); a named approver may; otherwise the step's role decides: the supervisor step is the district office's,
    other roles are those of the draft's own unit."""
    if not (user.is_authenticated and user.is_active) or step.draft.author_id == user.pk:
        return False
    if wrote_reply(user, step.draft):
        return False
    if step.users.filter(pk=user.pk).exists():
        return True
    if not step.role:
        return False
    if step.role == Role.SUPERVISOR:
        return user.is_district_supervisor
    return user.role == step.role and user.person_id is not None and user.person.unit_id == step.draft.unit_id


def may_mark_grade(user: User, draft) -> bool:
    """The author marks a draft sensitive or major before submitting; a reviewer of its current step, while
    reviewing (the next round's chain follows the mark)."""
    from govmedia.publishing.selectors import pending_step  # publishing imports this module

    if draft.author_id == user.pk:
        return True
    step = pending_step(draft)
    return step is not None and may_review(user, step)


def may_record_publication(user: User, draft) -> bool:
    """The author, and whoever writes drafts for the unit, records where an approved draft went out."""
    return draft.author_id == user.pk or may_write_drafts_for(user, draft.unit_id)


def may_read_ledger(user: User, unit_id: int) -> bool:
    """A unit's ledger is read and exported by its remit's leaders, admins and reviewers, and by supervisors."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_district_supervisor:
        return True
    if user.role not in (Role.LEADER, Role.UNIT_ADMIN, Role.REVIEWER):
        return False
    return unit_id in selectors.unit_ids_managed_by(user)


def may_export_ledger(user: User, unit_id: int) -> bool:
    return may_read_ledger(user, unit_id)


def may_see_ledger_anchors(user: User) -> bool:
    """The daily anchors are for supervisors to note outside the system."""
    return user.is_authenticated and user.is_active and user.is_district_supervisor


def may_configure_review_chain(user: User, unit_id: int) -> bool:
    """A unit's chains are kept by its unit admin (and those of its remit) and by supervisors."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_district_supervisor:
        return True
    return user.role == Role.UNIT_ADMIN and unit_id in selectors.unit_ids_managed_by(user)


# ---------------------------------------------------------------- review pages (issue 9, publishing.views)


def may_see_review_overview(user: User) -> bool:
    """逾期补审与逾期留言: supervisors across the district; unit admins and heads for their remit."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_district_supervisor or user.role in (Role.UNIT_ADMIN, Role.LEADER)


# ---------------------------------------------------------------- JSON API tokens (issue 9, helper api)


def may_use_api_tokens(user: User) -> bool:
    """Every active login may hold personal API tokens: a token acts as its user, with no more rights."""
    return user.is_authenticated and user.is_active


def may_revoke_api_token(user: User, token) -> bool:
    """A user revokes their own tokens; district supervisors any (a lost laptop, a person who left)."""
    return may_use_api_tokens(user) and (token.user_id == user.pk or user.is_district_supervisor)


# ---------------------------------------------------------------- message assignees (issue 9, helper fixa)


def users_assignable_for_message(account) -> QuerySet[User]:
    """Who may be put in charge of an account's message: the active people who act for it (accounts_acted_for)
    — its host unit's staff, of its operators those assigned to the account — and district supervisors who are
    real people (with a person record; not a bare system login such as the superuser "admin")."""
    return User.objects.select_related("person", "person__unit").filter(is_active=True).filter(
        (Q(person__unit_id=account.host_unit_id) & ~Q(role=Role.OPERATOR)) | Q(pk__in=account.operators.values("pk"))
        | Q(role=Role.SUPERVISOR, person__isnull=False)).distinct()


def sees_all_messages_by_default(user: User) -> bool:
    """The message list opens on every open message the user may see (not only theirs and the unassigned)
    for those who oversee others' work: district supervisors and unit admins."""
    return user.is_authenticated and (user.is_district_supervisor or user.role == Role.UNIT_ADMIN)
