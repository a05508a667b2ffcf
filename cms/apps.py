from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("内容")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from oscar.core.loading import get_model
        from wagtail.models import Site
        from wagtail.signals import (
            copy_for_translation_done,
            page_published,
            page_unpublished,
            post_page_move,
            task_approved,
            task_rejected,
            task_submitted,
        )

        from cms import receivers
        from cms.models import HomePage
        from producers.models import CountyReviewer
        from producers.signals import producer_approved

        producer_approved.connect(receivers.producer_approved, dispatch_uid="cms-producer-pages")
        m2m_changed.connect(
            receivers.partner_users_changed,
            sender=get_model("partner", "Partner").users.through,
            dispatch_uid="cms-story-editors",
        )
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.county_reviewer_changed,
                sender=CountyReviewer,
                dispatch_uid=f"cms-county-story-reviewers-{signal is post_save}",
            )
        # Wagtail sends these with the specific task state's class as sender: any.
        task_submitted.connect(receivers.story_task_submitted, dispatch_uid="cms-story-submitted")
        task_rejected.connect(receivers.story_task_rejected, dispatch_uid="cms-story-rejected")
        task_approved.connect(receivers.story_task_approved, dispatch_uid="cms-story-approved")
        copy_for_translation_done.connect(
            receivers.page_translated, dispatch_uid="cms-story-translation-editors"
        )
        # The home page's cached blocks (stories, county pavilions) and search's
        # content-page results follow what is published.
        page_published.connect(receivers.page_live_changed, dispatch_uid="cms-storefront-pub")
        page_unpublished.connect(receivers.page_live_changed, dispatch_uid="cms-storefront-unpub")
        # The home page's cached route (cms.selectors.home_route): its site, its
        # place in the tree and the page itself (a save that is not a publish,
        # from code or a migration, changes what is served too).
        for sender in (Site, HomePage):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.home_route_changed,
                    sender=sender,
                    dispatch_uid=f"cms-home-route-{sender.__name__}-{signal is post_save}",
                )
        post_page_move.connect(receivers.home_route_changed, dispatch_uid="cms-home-route-moved")
