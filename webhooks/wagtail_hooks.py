"""Settings → Webhooks in the admin, for administrators (who hold the endpoint permissions)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .forms import WebhookEndpointForm
from .models import WebhookEndpoint


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = "Webhooks"
    add_to_settings_menu = True
    list_display = [
        "url",
        "description",
        "enabled",
        TitleColumn(
            "deliveries",
            label="Deliveries",
            accessor=lambda endpoint: "Delivery log",
            get_url=lambda endpoint: reverse("webhooks:deliveries", args=[endpoint.pk]),
        ),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("url"),
            FieldPanel("description"),
            FieldPanel("events"),
            FieldPanel("section"),
            FieldPanel("enabled"),
            FieldPanel("internal"),
        ],
        base_form_class=WebhookEndpointForm,
    )


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookEndpointViewSet("webhook_endpoints")


@hooks.register("register_admin_urls")
def register_delivery_urls():
    urls = [
        path("<int:pk>/deliveries/", views.deliveries, name="deliveries"),
        path("<int:pk>/test/", views.send_test_event, name="send_test_event"),
        path("<int:pk>/rotate-secret/", views.rotate_secret, name="rotate_secret"),
        path("deliveries/<int:pk>/redeliver/", views.redeliver_view, name="redeliver"),
    ]
    return [path("webhooks/", include((urls, "webhooks"), namespace="webhooks"))]
