"""The endpoint form of Settings → Webhooks."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .delivery import RefusedAddress, resolve
from .models import EVENTS


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        choices=[(name, f"{name}: {meaning}") for name, meaning in EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="The events this endpoint hears of.",
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            resolve(url)  # checked again at every delivery: DNS may change
        except RefusedAddress as e:
            raise forms.ValidationError(e.message) from e
        return url
