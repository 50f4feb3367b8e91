from django.contrib import admin

from govmedia.workdays.models import CalendarDay, CalendarYear


class SupervisorOnly(admin.ModelAdmin):
    """The calendar is district-wide: district supervisors maintain it, everyone's deadlines use it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_district_supervisor

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(CalendarDay)
class CalendarDayAdmin(SupervisorOnly):
    list_display = ("date", "name", "is_working_day")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SupervisorOnly):
    list_display = ("year", "is_complete", "source")
