"""The site's URLs plus /bench/ping/, the trivial JSON response every figure is compared with."""

from django.http import JsonResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ping/", ping), *site_urlpatterns]
