from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from govmedia import clock
from govmedia.registry.selectors import dashboard as dashboard_data
from govmedia.web.worklist import worklist


@login_required
def dashboard(request):
    today = clock.today()
    return render(request, "web/dashboard.html", {
        "data": dashboard_data(request.user, today),
        "work": worklist(request.user, today),
        "today": today,
    })


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
