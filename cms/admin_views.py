"""The Wagtail admin views of producer stories, where they differ from Wagtail's."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.views.pages.workflow import ConfirmWorkflowCancellationView
from wagtail.admin.viewsets.pages import PageViewSet


class StoryConfirmWorkflowCancellationView(ConfirmWorkflowCancellationView):
    """Wagtail's modal asked before publishing over a running workflow names
    the workflow and its current step to anyone with admin access; for a story
    it answers only those who may publish it."""

    def dispatch(self, request, *args, **kwargs):
        if not self.object.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StoryPageViewSet(PageViewSet):
    confirm_workflow_cancellation_view_class = StoryConfirmWorkflowCancellationView


def story_page_viewset():
    from cms.models import ProducerStoryPage

    return StoryPageViewSet("story_pages", model=ProducerStoryPage)
