"""API v3 bearer tokens that expire, and their rotation.

Wagtail's v3 auth (wagtail/api/v3/auth.py) refuses revoked tokens but keeps a token valid
forever. `install()` adds a view decorator to the v3 API (in cms/api.py) that answers 401
before any operation runs when the request's bearer token is older than
NEWS_API_TOKEN_LIFETIME days or revoked, even on operations that anonymous callers may
use: presented credentials that are no longer valid are refused, never silently ignored.
"""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.api.v3.errors import problem_response
from wagtail.log_actions import log
from wagtail.models import APIToken


def lifetime():
    """How long a token stays valid after it is created, or None for ever."""
    days = settings.NEWS_API_TOKEN_LIFETIME
    return timedelta(days=days) if days else None


def expires_at(token):
    """When `token` stops being accepted (None: never)."""
    return token.created + lifetime() if lifetime() else None


def is_expired(token, now=None):
    expiry = expires_at(token)
    return expiry is not None and (now or timezone.now()) >= expiry


def presented_token(request):
    """The APIToken the request's `Authorization: Bearer …` names, revoked or not, or None."""
    scheme, _, plaintext = request.headers.get("Authorization", "").partition(" ")
    plaintext = plaintext.strip()
    if scheme.lower() != "bearer" or not APIToken.validate_token_format(plaintext):
        return None
    return APIToken.objects.filter(key_hash__in=APIToken.candidate_key_hashes(plaintext)).first()


def refusal(request):
    """A 401 problem response for an expired or revoked bearer token, or None."""
    token = presented_token(request)
    if token is None:
        return None  # no token, or an unknown one: Wagtail's auth answers as usual
    if token.revoked_at is not None:
        detail = "This API token has been revoked."
    elif is_expired(token):
        detail = (
            f"This API token expired on {expires_at(token):%Y-%m-%d} "
            f"(tokens last {settings.NEWS_API_TOKEN_LIFETIME} days); ask for a new one."
        )
    else:
        return None
    response = problem_response(status=401, detail=detail)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def refuse_invalid_tokens(run):
    """Ninja view decorator: answer 401 for an expired or revoked token before auth runs."""

    @wraps(run)
    def guarded(request, *args, **kwargs):
        return refusal(request) or run(request, *args, **kwargs)

    return guarded


def install(api):
    api.add_decorator(refuse_invalid_tokens, mode="view")


@transaction.atomic
def rotate(token, *, source):
    """Issue a new token for the same user and name and revoke `token`.

    Returns (new_token, plaintext); the plaintext is shown only this once.
    """
    new_token, plaintext = APIToken.create_token(user=token.user, name=token.name)
    token.revoke()
    log(token, "wagtail.apitoken.revoke", data={"source": source, "replaced_by": new_token.pk})
    log(new_token, "wagtail.apitoken.create", data={"source": source, "replaces": token.pk})
    return new_token, plaintext
