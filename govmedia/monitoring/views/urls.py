from django.urls import path

from govmedia.monitoring.views import alerts, approved_sources, duty, findings, overview, posts, repost_tasks, sources

urlpatterns = [
    path("", overview.overview, name="monitoring_overview"),
    path("duty/", duty.duty, name="monitoring_duty"),
    path("duty/read/", duty.duty_read, name="monitoring_duty_read"),
    path("findings/", findings.finding_list, name="monitoring_findings"),
    path("findings/<int:pk>/", findings.finding_detail, name="monitoring_finding"),
    path("findings/<int:pk>/step/", findings.finding_step, name="monitoring_finding_step"),
    path("findings/<int:pk>/assign/", findings.finding_assign_view, name="monitoring_finding_assign"),
    path("alerts/", alerts.alert_list, name="monitoring_alerts"),
    path("alerts/read/", alerts.alerts_read, name="monitoring_alerts_read"),
    path("posts/<int:pk>/", posts.post_detail, name="monitoring_post"),
    path("accounts/<int:pk>/posts/", posts.account_post_list, name="monitoring_account_posts"),
    path("accounts/<int:pk>/sources/new/", sources.source_add, name="monitoring_source_add"),
    path("sources/<int:pk>/edit/", sources.source_edit, name="monitoring_source_edit"),
    path("sources/<int:pk>/active/", sources.source_active, name="monitoring_source_active"),
    path("sources/<int:pk>/delete/", sources.source_remove, name="monitoring_source_delete"),
    path("approved-sources/", approved_sources.approved_source_list, name="monitoring_approved_sources"),
    path("approved-sources/new/", approved_sources.approved_source_add, name="monitoring_approved_source_add"),
    path("approved-sources/<int:pk>/edit/", approved_sources.approved_source_edit,
         name="monitoring_approved_source_edit"),
    path("approved-sources/<int:pk>/delete/", approved_sources.approved_source_remove,
         name="monitoring_approved_source_delete"),
    path("repost-tasks/", repost_tasks.repost_task_list, name="monitoring_repost_tasks"),
    path("repost-tasks/new/", repost_tasks.repost_task_add, name="monitoring_repost_task_add"),
    path("repost-tasks/<int:pk>/", repost_tasks.repost_task_detail, name="monitoring_repost_task"),
    path("repost-tasks/<int:pk>/edit/", repost_tasks.repost_task_edit, name="monitoring_repost_task_edit"),
    path("repost-tasks/<int:pk>/withdraw/", repost_tasks.repost_task_remove, name="monitoring_repost_task_withdraw"),
]
