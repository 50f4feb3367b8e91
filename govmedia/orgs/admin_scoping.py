"""The admin shows each staff member only their own remit, like the rest of the platform."""

from django.contrib import admin
from django.http import Http404


class ScopedAdmin(admin.ModelAdmin):
    def scope(self, request, queryset):
        """Narrow `queryset` to what request.user may see. Each admin states its own rule; without one,
        nothing is shown (deny by default)."""
        return queryset.none()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_district_supervisor:
            return queryset
        return self.scope(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another unit's object is indistinguishable from one that does not exist.
            raise Http404
        return obj
