from django.apps import AppConfig


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "News"

    def ready(self):
        # Must run before wagtail.admin's ready(), so "news" precedes it in INSTALLED_APPS.
        from .editorial.notifications import connect_notifications

        connect_notifications()

        # Before the cache's handlers: a publish dates its new correction notes first.
        from .models.corrections import connect_note_dating

        connect_note_dating()

        from .dependencies import connect_signals

        connect_signals()

        from .renditions import connect_rendition_warmup

        connect_rendition_warmup()

        from .rich_text import connect_rich_text_cleaning

        connect_rich_text_cleaning()

        from django.db.models.signals import post_save
        from wagtail.images import get_image_model

        from .pictures import on_image_saved

        # The rights typed in the image form are saved with the image.
        post_save.connect(
            on_image_saved, sender=get_image_model(), dispatch_uid="newsroom-image-rights"
        )

        # The API representation sits above the models and attaches their api_fields; the
        # parts of it stored at publish time go stale with what they show.
        from cms.caching import on_bump

        from .api import representation  # noqa: F401
        from .api.stored import stale_representations

        on_bump(stale_representations)
