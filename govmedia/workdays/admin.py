from django.contrib import admin, messages

from govmedia import clock
from govmedia.orgs.admin_scoping import SupervisorOnlyAdmin
from govmedia.workdays import services
from govmedia.workdays.models import CalendarDay, CalendarYear


class CalendarEntryAdmin(SupervisorOnlyAdmin):
    """Saving or deleting goes through the workdays services, which recompute the provisional dates."""

    def _report(self, request, recomputed) -> None:
        moved = len(recomputed.filings) + len(recomputed.notices)
        if moved:
            messages.info(request, f"已按新的工作日历重新计算 {len(recomputed.filings)} 项备案期限、"
                                   f"{len(recomputed.notices)} 份关停注销公告的日期，详见各账号办理记录。")

    def save_model(self, request, obj, form, change):
        self._report(request, services.calendar_entry_save(entry=obj, by=request.user, now=clock.now()))

    def delete_model(self, request, obj):
        self._report(request, services.calendar_entries_delete(entries=[obj], by=request.user, now=clock.now()))

    def delete_queryset(self, request, queryset):
        self._report(request, services.calendar_entries_delete(entries=queryset, by=request.user, now=clock.now()))


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarEntryAdmin):
    list_display = ("date", "name", "is_working_day")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarEntryAdmin):
    list_display = ("year", "is_complete", "source")
