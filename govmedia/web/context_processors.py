def navigation(request):
    """The approvals waiting for the user (counted in the navigation, listed on the dashboard), the drafts waiting
    for their review and their unread monitoring alerts (counted in the navigation)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from govmedia.monitoring.selectors import unread_alert_count
    from govmedia.publishing.selectors import review_queue
    from govmedia.registry.selectors import approvals_inbox

    inbox = approvals_inbox(user)
    return {"inbox": inbox, "inbox_count": len(inbox), "current_role": user.get_role_display(),
            "unread_alerts": unread_alert_count(user), "review_count": review_queue(user).count()}
