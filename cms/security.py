"""Who a request comes from, for login throttling behind reverse proxies."""

from django.conf import settings


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the one our trusted proxies saw.

    With NEWS_TRUSTED_PROXY_COUNT = n, the last n proxies (ours) each appended the address
    they were called from to X-Forwarded-For, so the client is the n-th entry from the
    right. Entries left of it were written by the client and could be anything, so they
    are never used: a client cannot pick the address it is throttled as.
    """
    proxies = settings.NEWS_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
