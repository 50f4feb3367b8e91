"""The back office's site: it serves only those whose role works there (orgs.permissions.may_use_back_office).

Django's own site lets in anyone with `is_staff`; a flag left over from a former role would then keep a
demoted login in the back office. Every admin page asks `has_permission`, so this is the one gate.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class BackOfficeSite(AdminSite):
    site_header = "政务新媒体管理平台 · 后台"
    site_title = "govmedia 后台"
    index_title = "后台数据管理"

    def has_permission(self, request):
        # Imported here: this module is loaded with INSTALLED_APPS, before the models are ready.
        from govmedia.orgs.permissions import may_use_back_office

        return may_use_back_office(request.user)


class BackOfficeConfig(AdminConfig):
    default_site = "govmedia.orgs.admin_site.BackOfficeSite"
