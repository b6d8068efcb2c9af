"""The project package as an app, for the little state of its own it keeps (cms/models.py)."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "Site infrastructure"
    default_auto_field = "django.db.models.BigAutoField"
