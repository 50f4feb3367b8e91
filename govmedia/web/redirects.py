"""Where to send the user after a POST: the `next` they asked for, if it stays on this site."""

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_to_next(request, fallback, *fallback_args):
    """Redirect to the request's `next` (POST, then GET) when it is a URL of this site, else to `fallback`.

    A `next` pointing elsewhere (https://evil.com/…, //evil.com, javascript:) would turn the site into a
    phishing relay, so it is dropped silently: the user still lands somewhere sensible. So is one that is no
    path ("abc", "[]"): redirect() would take it for a view name and fail with a 500.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and is_local_url(request, target):
        return HttpResponseRedirect(target)
    return redirect(fallback, *fallback_args)


def is_local_url(request, url: str) -> bool:
    """Whether `url` (a `next`, a Referer) stays on this site, so it is safe to send the user to."""
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure())
