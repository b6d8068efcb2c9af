"""Admin views of an endpoint's deliveries: the log, Redeliver, Send test event, Rotate secret."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .delivery import new_delivery, redeliver
from .models import WebhookDelivery, WebhookEndpoint

LOG_SIZE = 100


def require_administrator(request):
    if not request.user.has_perm("webhooks.change_webhookendpoint"):
        raise PermissionDenied


def deliveries(request, pk):
    require_administrator(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    return TemplateResponse(
        request,
        "webhooks/deliveries.html",
        {
            "endpoint": endpoint,
            "deliveries": endpoint.deliveries.all()[:LOG_SIZE],
            "header_title": f"Deliveries to {endpoint}",
        },
    )


@require_POST
def redeliver_view(request, pk):
    require_administrator(request)
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    redeliver(delivery)
    messages.success(request, f"'{delivery.event}' queued for delivery again.")
    return redirect("webhooks:deliveries", delivery.endpoint_id)


@require_POST
def send_test_event(request, pk):
    require_administrator(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    payload = {
        "type": "webhook.test",
        "timestamp": timezone.now().isoformat().replace("+00:00", "Z"),
        "data": {"message": "A test event from Settings → Webhooks."},
    }
    new_delivery(endpoint, "webhook.test", payload)
    messages.success(request, "A test event is on its way.")
    return redirect("webhooks:deliveries", endpoint.pk)


@require_POST
def rotate_secret(request, pk):
    require_administrator(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    endpoint.rotate_secret()
    messages.success(
        request,
        "New signing secret made. Deliveries carry signatures with both secrets until "
        f"{endpoint.previous_secret_expires_at:%Y-%m-%d %H:%M} UTC: "
        "update the receiver before then.",
    )
    return redirect("webhooks:deliveries", endpoint.pk)
