"""Cooperatives write their own story in the Wagtail admin (issue 12, item 2):
a producer's users edit their story page and only that; publishing goes
through county review, then a platform editor; each step mails the producer."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.admin.urls import pages as admin_page_urls
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import CountyReviewTask, ProducerStoryPage
from tests.factories import CountyReviewerFactory, UserFactory, county, producer_with_user
from tests.factories.cms import story_page, translation

pytestmark = pytest.mark.django_db

SECRET = "甲合作社尚未发布的草稿"


@pytest.fixture
def world():
    producer, writer = producer_with_user()
    other_producer, other_writer = producer_with_user()
    other_producer.county = county("610924")  # 紫阳县
    other_producer.save()
    story = story_page(producer, intro=SECRET, publish=False)
    story_page(other_producer, intro="乙的草稿", publish=False)
    reviewer = CountyReviewerFactory(county=producer.county).user
    foreign_reviewer = CountyReviewerFactory(county=other_producer.county).user
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Moderators"))
    return {
        "producer": producer,
        "story": story,
        "writer": writer,
        "other_writer": other_writer,
        "reviewer": reviewer,
        "foreign_reviewer": foreign_reviewer,
        "editor": editor,
    }


def _edit_post(client, story, action, **fields):
    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "producer": story.producer_id,
            "intro": fields.get("intro", story.intro),
            "body": streamfield([]),
            "comments": inline_formset([]),
            action: "1",
        }
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)


def _submit(client, world, story=None):
    story = story or world["story"]
    client.force_login(world["writer"])
    with_callbacks = _edit_post(client, story, "action-submit", intro=SECRET)
    assert with_callbacks.status_code == 302
    return WorkflowState.objects.get(object_id=str(story.pk), status="in_progress")


def _act(client, user, story, action, comment=""):
    client.force_login(user)
    state = TaskState.objects.get(
        workflow_state__object_id=str(story.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse("wagtailadmin_pages:workflow_action", args=[story.pk, action, state.pk])
    return client.post(url, {"comment": comment})


# --- the producer edits its own story -----------------------------------------------


def test_the_producers_user_edits_saves_a_draft_and_submits_but_cannot_publish(client, world):
    story, writer = world["story"], world["writer"]
    client.force_login(writer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).status_code == 200

    response = _edit_post(client, story, "action-publish", intro="我们的木耳")
    story.refresh_from_db()
    assert not story.live  # publish is not theirs: at most a draft is saved
    assert response.status_code in (200, 302, 403)

    _edit_post(client, story, "action-submit", intro="我们的木耳")
    story.refresh_from_db()
    assert story.workflow_in_progress
    assert story.current_workflow_task.specific.__class__ is CountyReviewTask
    assert not story.live


def test_the_producers_user_sees_only_pages_in_the_admin_menu(client, world):
    client.force_login(world["writer"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_explore_root") in page or "explorer" in page
    for hidden in ("/cms/reports/", "/cms/settings/", "/cms/snippets/", "/cms/documents/"):
        assert hidden not in page, hidden


def test_partner_users_added_later_become_story_editors_and_removed_ones_stop(client, world):
    newcomer = UserFactory()
    world["producer"].partner.users.add(newcomer)
    client.force_login(newcomer)
    url = reverse("wagtailadmin_pages:edit", args=[world["story"].pk])
    assert client.get(url).status_code == 200

    world["producer"].partner.users.remove(newcomer)
    assert client.get(url).status_code in (302, 403)


# --- nobody else reads or changes the draft ------------------------------------------


PAGE_PARAMS = {"page_id", "pk", "page_to_move_id", "parent_page_id"}


def _story_admin_urls(world, story):
    """Every URL of Wagtail's page admin that names a page, filled in for ``story``."""
    state = TaskState.objects.get(
        workflow_state__object_id=str(story.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    values = {
        "revision_id": story.get_latest_revision().pk,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "destination_id": story.get_parent().pk,
        "task_state_id": state.pk,
        "task_id": state.task_id,
        "workflow_state_id": state.workflow_state_id,
        "content_type_app_name": "cms",
        "content_type_model_name": "producerstorypage",
    }
    urls = []
    for pattern in admin_page_urls.urlpatterns:
        params = set(re.compile(pattern.pattern.regex.pattern).groupindex)
        if not params & PAGE_PARAMS:
            continue
        kwargs = {p: story.pk if p in PAGE_PARAMS else values[p] for p in params - {"action_name"}}
        for action in ("approve", "reject") if "action_name" in params else (None,):
            if action:
                kwargs["action_name"] = action
            urls.append(reverse(f"wagtailadmin_pages:{pattern.name}", kwargs=kwargs))
    assert len(urls) >= 25
    return urls


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("who", ["other_writer", "foreign_reviewer", "anonymous"])
def test_no_admin_or_preview_url_reads_or_changes_another_producers_draft(
    client, world, who, language
):
    story = world["story"]
    if language != "zh-hans":
        # The English translation, written and submitted by the producer like the story.
        story = translation(story, language=language, publish=False)
    _submit(client, world, story)
    client.logout()
    story = ProducerStoryPage.objects.get(pk=story.pk)
    revision = story.get_latest_revision().pk
    urls = _story_admin_urls(world, story)
    if who != "anonymous":
        client.force_login(world[who])
    for url in urls:
        for method in (client.get, client.post):
            response = method(url, {"comment": "x", "new_parent_page": story.get_parent().pk})
            assert response.status_code in (302, 403, 404, 405), (method, url, response.status_code)
            assert SECRET not in response.content.decode(), url
            if response.status_code == 302:
                # To sign in, to the admin home, or to another URL of this list
                # (revisions → history), itself checked here.
                assert "/login/" in response["Location"] or response["Location"] in (
                    {"/cms/", reverse("wagtailadmin_home"), *urls}
                ), (url, response["Location"])
    story = ProducerStoryPage.objects.get(pk=story.pk)
    assert not story.live and story.get_latest_revision().pk == revision
    assert story.current_workflow_task.specific.__class__ is CountyReviewTask
    assert ProducerStoryPage.objects.count() == (2 if language == "zh-hans" else 3)


def test_the_writer_cannot_delete_move_or_copy_its_own_story(client, world):
    story = world["story"]
    client.force_login(world["writer"])
    for name in ("delete", "copy"):
        url = reverse(f"wagtailadmin_pages:{name}", args=[story.pk])
        assert client.get(url).status_code in (302, 403), name
        assert client.post(url, {"new_parent_page": story.get_parent().pk}).status_code in (
            302,
            403,
        )
    assert client.get(reverse("wagtailadmin_pages:move", args=[story.pk])).status_code in (
        302,
        403,
    )
    assert ProducerStoryPage.objects.count() == 2


# --- the workflow ----------------------------------------------------------------------


def test_county_review_then_editor_publishes_and_the_producer_hears_each_step(
    client, world, django_capture_on_commit_callbacks
):
    story, writer = world["story"], world["writer"]
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, world)
    assert [m.to for m in mail.outbox if "待审核" in m.subject] == [[world["reviewer"].email]]

    # The reviewer of another county has no action on it; the county's own one has.
    assert _act(client, world["foreign_reviewer"], story, "approve").status_code in (302, 403)
    story.refresh_from_db()
    assert story.current_workflow_task.specific.__class__ is CountyReviewTask

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, world["reviewer"], story, "approve")
    story.refresh_from_db()
    assert story.current_workflow_task.name == "平台编辑发布"
    assert not story.live
    assert any(m.to == [writer.email] and "县级审核" in m.subject for m in mail.outbox)

    # The reviewer's part is done; the editor publishes.
    assert _act(client, world["reviewer"], story, "approve").status_code in (302, 403)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, world["editor"], story, "approve")
    story.refresh_from_db()
    assert story.live and SECRET in story.intro
    assert any(m.to == [writer.email] and "平台编辑发布" in m.subject for m in mail.outbox)


@pytest.mark.parametrize("step", ["county", "editor"])
def test_each_step_requests_changes_with_a_comment_mailed_to_the_producer(
    client, world, django_capture_on_commit_callbacks, step
):
    story, writer = world["story"], world["writer"]
    _submit(client, world)
    if step == "editor":
        _act(client, world["reviewer"], story, "approve")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _act(
            client,
            world["reviewer" if step == "county" else "editor"],
            story,
            "reject",
            "请补充照片",
        )
    story.refresh_from_db()
    assert not story.live and not story.workflow_in_progress
    sent = [m for m in mail.outbox if m.to == [writer.email] and "需要修改" in m.subject]
    assert len(sent) == 1 and "请补充照片" in sent[0].body
    assert f"/cms/pages/{story.pk}/edit/" in sent[0].body


def test_the_county_reviewer_finds_the_story_on_the_dashboard_and_opens_it(client, world):
    _submit(client, world)
    for who, expected in (("reviewer", True), ("foreign_reviewer", False)):
        client.force_login(world[who])
        page = client.get(reverse("wagtailadmin_home"))
        assert page.status_code == 200
        assert (world["story"].title in page.content.decode()) is expected
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[world["story"].pk]))
        assert (edit.status_code == 200) is expected


def test_a_county_reviewer_loses_admin_access_with_the_role(client, world):
    from producers.models import CountyReviewer

    CountyReviewer.objects.filter(user=world["reviewer"]).delete()
    client.force_login(world["reviewer"])
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
