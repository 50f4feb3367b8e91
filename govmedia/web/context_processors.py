def navigation(request):
    """The approvals waiting for the user: counted in the navigation, listed on the dashboard."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from govmedia.registry.selectors import approvals_inbox

    inbox = approvals_inbox(user)
    return {"inbox": inbox, "inbox_count": len(inbox), "current_role": user.get_role_display()}
