"""征集调查: the unit's surveys, a new one with its questions, and one's link, results, closing and export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govmedia import clock
from govmedia.errors import Conflict, PermissionDenied, ValidationError
from govmedia.interaction.selectors import survey_results, survey_workbook, surveys_visible_to
from govmedia.interaction.services.surveys import survey_close, survey_create
from govmedia.interaction.views.survey_forms import SurveyForm
from govmedia.registry.views.common import paginate, report_domain_error
from govmedia.registry.views.documents import XLSX, download


def survey_state(survey, now) -> tuple[str, str]:
    """(key, label) of where the survey stands: not yet open, open, closed."""
    if now < survey.opens_at:
        return "pending", "未开始"
    if now < survey.closes_at:
        return "open", "进行中"
    return "closed", "已截止"


@login_required
def survey_list(request):
    now = clock.now()
    page = paginate(request, surveys_visible_to(request.user).order_by("-opens_at", "-pk"))
    rows = [(survey, survey_state(survey, now)[1]) for survey in page]
    return render(request, "interaction/survey_list.html", {"page": page, "rows": rows})


@login_required
def survey_new(request):
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = survey_create(
                account=data["account"], by=request.user, title=data["title"], description=data["description"],
                opens_at=data["opens_at"], closes_at=data["closes_at"], questions=data["questions"],
                per_ip_hourly_limit=data["per_ip_hourly_limit"])
        except (ValidationError, PermissionDenied) as error:
            report_domain_error(request, error, form)
        else:
            messages.success(request, f"征集调查已创建：{survey.title}。请将公开链接发布给公众。")
            return redirect("interaction:survey_detail", pk=survey.pk)
    return render(request, "interaction/survey_new.html", {"form": form})


def _survey_for(request, pk):
    return get_object_or_404(surveys_visible_to(request.user), pk=pk)


@login_required
def survey_detail(request, pk):
    survey = _survey_for(request, pk)
    total, results = survey_results(survey, user=request.user)
    state, state_label = survey_state(survey, clock.now())
    return render(request, "interaction/survey_detail.html", {
        "survey": survey, "total": total, "results": results, "state": state, "state_label": state_label,
        "public_url": request.build_absolute_uri(reverse("survey_answer", args=[survey.token])),
    })


@login_required
@require_POST
def survey_close_view(request, pk):
    survey = _survey_for(request, pk)
    try:
        survey_close(survey=survey, by=request.user)
    except (ValidationError, PermissionDenied, Conflict) as error:
        report_domain_error(request, error)
    else:
        messages.success(request, "调查已截止，不再接受答卷。")
    return redirect("interaction:survey_detail", pk=survey.pk)


@login_required
def survey_export(request, pk):
    survey = _survey_for(request, pk)
    data = survey_workbook(survey, user=request.user)
    return download(data, f"征集调查-{survey.title[:40]}-{clock.today():%Y%m%d}.xlsx", XLSX,
                    ascii_name=f"survey-{survey.pk}-{clock.today():%Y%m%d}.xlsx")
