def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from govmedia.registry.selectors import approvals_inbox

    return {"inbox_count": len(approvals_inbox(user)), "current_role": user.get_role_display()}
