"""The dashboard panel that flags the live stories that lost a picture when its rights expired."""

from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy


class LostPicturesPanel(Component):
    """Live stories showing a picture whose rights expired: readers see them without it."""

    name = "lost_pictures"
    order = 80
    template_name = "news/dashboard/lost_pictures.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        from news.pictures import stories_that_lost_a_picture

        editable = PagePermissionPolicy().instances_user_has_permission_for(self.user, "change")
        stories = stories_that_lost_a_picture()
        allowed = set(editable.filter(pk__in=[s.pk for s in stories]).values_list("pk", flat=True))
        return {"stories": [story for story in stories if story.pk in allowed]}
