from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.cache import catalogue_version_bump
from cms.models import CountyReviewTask, ProducerStoryPage
from cms.services import county_story_reviewer_sync, producer_pages_ensure, story_editors_sync
from common.notifications import notify_by_email
from producers.models import Producer


def producer_approved(sender, *, producer, **kwargs):
    """Runs inside the approval's transaction: the pages are made with the
    producer or not at all."""
    producer_pages_ensure(producer=producer)


def partner_users_changed(sender, *, instance, action, reverse, pk_set, **kwargs):
    """A partner's users are its producer's story editors (Partner.users, either side)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    producers = Producer.objects.select_related("partner")
    if reverse:  # user.partners.add(...): instance is the user
        producers = (
            producers.filter(partner__users=instance)
            if action == "post_clear"
            else producers.filter(partner_id__in=pk_set or ())
        )
        if action == "post_clear":
            # The user is no longer listed: drop them from every story group.
            instance.groups.remove(*instance.groups.filter(name__startswith="story-editors-"))
    else:
        producers = producers.filter(partner=instance)
    for producer in producers:
        story_editors_sync(producer=producer)


def page_translated(sender, *, source_obj, target_obj, **kwargs):
    """A story's translation is the producer's to edit, like the story itself."""
    target = getattr(target_obj, "specific", target_obj)
    if isinstance(target, ProducerStoryPage):
        story_editors_sync(producer=target.producer, story=target)


def county_reviewer_changed(sender, *, instance, **kwargs):
    county_story_reviewer_sync(user=instance.user)


def _story(workflow_state):
    page = workflow_state.content_object
    return ProducerStoryPage.objects.select_related("producer__partner").filter(pk=page.pk).first()


def _edit_link(story) -> str:
    return reverse("wagtailadmin_pages:edit", args=[story.pk])


def story_task_submitted(sender, *, instance, **kwargs):
    """Tell the county's reviewers a story waits for them (Wagtail mails the
    platform editors' group itself at the next step)."""
    task_state = instance
    if not isinstance(task_state.task.specific, CountyReviewTask):
        return
    story = _story(task_state.workflow_state)
    if story is None:
        return
    reviewers = [r.user for r in story.producer.county.reviewers.select_related("user")]
    notify_by_email(
        users=reviewers,
        subject=_("生产者故事待审核：%(title)s") % {"title": story.title},
        body=_("%(producer)s 提交了生产者故事，请审核。") % {"producer": story.producer.name},
        link=_edit_link(story),
    )


def story_task_rejected(sender, *, instance, user=None, **kwargs):
    """A step asked for changes: every user of the producer hears it, with the comment."""
    task_state = instance
    story = _story(task_state.workflow_state)
    if story is None:
        return
    comment = task_state.get_comment() or _("（无留言）")
    notify_by_email(
        users=story.producer.partner.users.all(),
        subject=_("生产者故事需要修改：%(title)s") % {"title": story.title},
        body=_("“%(task)s”退回了您的故事，意见：%(comment)s")
        % {"task": task_state.task.name, "comment": comment},
        link=_edit_link(story),
    )


def story_task_approved(sender, *, instance, user=None, **kwargs):
    """Each approval is told to the producer's users: the county passed it, or it is published."""
    task_state = instance
    story = _story(task_state.workflow_state)
    if story is None:
        return
    notify_by_email(
        users=story.producer.partner.users.all(),
        subject=_("生产者故事已通过“%(task)s”：%(title)s")
        % {"task": task_state.task.name, "title": story.title},
        body=_("“%(task)s”已通过您的故事。") % {"task": task_state.task.name},
        link=_edit_link(story),
    )


def page_live_changed(sender, instance, **kwargs):
    """A page was published or unpublished: cached storefront blocks that list
    pages (the home page's stories and pavilions, search's content results)
    are stale."""
    catalogue_version_bump()


def home_route_changed(sender, **kwargs):
    """A Wagtail site, the home page or the page tree changed: the home
    page's cached route (cms.selectors.home_route) is stale."""
    catalogue_version_bump()
