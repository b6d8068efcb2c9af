"""The reader search form: words, section, date range and tag, each checked on its own.

Example query strings:
    ?q=port strike
    ?q=strike&section=business&from=2024-01-01&to=2024-01-31
    ?tag=storms&q=coast         (a tag alone answers 301 to its page, /tags/storms/)
A bad value drops only its own filter and is reported on the page; it is never a 500.
"""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from .query_guard import InvalidSearchQuery, clean_query

# Dates outside these years are typing mistakes; they would also overflow time zone arithmetic.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


class QueryField(forms.CharField):
    """The words to find, bounded and normalised by the same guard as the API's ?search=."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.validators = []  # query_guard.clean_query() owns the rules, NUL included

    def to_python(self, value):
        try:
            return clean_query(value or "")
        except InvalidSearchQuery as e:
            raise forms.ValidationError(f"The {e}.") from e


def date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2024-05-31."},
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SearchForm(forms.Form):
    q = QueryField(label="Words")
    section = forms.ChoiceField(label="Section", required=False)
    tag = forms.SlugField(label="Tag", required=False, max_length=100, allow_unicode=True)

    def __init__(self, data, *, sections):
        super().__init__(data)
        self.fields["section"].choices = [("", "All sections")] + [
            (section.slug, section.title) for section in sections
        ]
        self.sections = {section.slug: section for section in sections}
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = date_field("From")
        self.fields["to"] = date_field("To")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            del cleaned["from"], cleaned["to"]
            raise forms.ValidationError("The “from” date is after the “to” date.")
        return cleaned

    @property
    def filters(self):
        """The valid filters as {name: value}, whether or not other fields had errors."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value}

    def apply_filters(self, articles):
        """`articles` narrowed by the valid section, date and tag filters."""
        filters = self.filters
        if "section" in filters:
            articles = articles.in_section(self.sections[filters["section"]])
        if "from" in filters:
            articles = articles.filter(first_published_at__gte=start_of_day(filters["from"]))
        if "to" in filters:
            next_day = filters["to"] + datetime.timedelta(days=1)
            articles = articles.filter(first_published_at__lt=start_of_day(next_day))
        if "tag" in filters:
            articles = articles.filter(tags__slug=filters["tag"])
        return articles

    def query_string_items(self):
        """The valid parameters, for pagination links."""
        return [
            (name, value.isoformat() if isinstance(value, datetime.date) else value)
            for name, value in self.filters.items()
        ]


def start_of_day(day):
    """Midnight at the start of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
