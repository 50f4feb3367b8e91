from django.contrib import admin

from govmedia.orgs.admin_scoping import SupervisorOnlyAdmin
from govmedia.workdays.models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(SupervisorOnlyAdmin):
    list_display = ("date", "name", "is_working_day")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SupervisorOnlyAdmin):
    list_display = ("year", "is_complete", "source")
