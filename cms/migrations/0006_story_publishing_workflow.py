"""The stories' publishing workflow (county review, then a platform editor)
on the story index, and each existing producer's editors' group with change
permission on its story page. New databases get both from cms.services when
the first producer is approved; this brings existing ones up to date."""

from django.db import migrations

STORY_WORKFLOW_NAME = "生产者故事审核发布"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CountyReviewTask = apps.get_model("cms", "CountyReviewTask")
    StoryIndexPage = apps.get_model("cms", "StoryIndexPage")
    ProducerStoryPage = apps.get_model("cms", "ProducerStoryPage")
    CountyReviewer = apps.get_model("producers", "CountyReviewer")

    index = StoryIndexPage.objects.first()
    if index is not None and not WorkflowPage.objects.filter(page_id=index.pk).exists():
        workflow = Workflow.objects.create(name=STORY_WORKFLOW_NAME, active=True)
        county_task = CountyReviewTask.objects.create(
            name="县级审核",
            content_type=ContentType.objects.get_for_model(CountyReviewTask),
        )
        editor_task = GroupApprovalTask.objects.create(
            name="平台编辑发布",
            content_type=ContentType.objects.get_for_model(GroupApprovalTask),
        )
        editor_task.groups.set(Group.objects.filter(name="Moderators"))
        WorkflowTask.objects.create(workflow=workflow, task_id=county_task.pk, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task_id=editor_task.pk, sort_order=1)
        WorkflowPage.objects.create(page_id=index.pk, workflow=workflow)

    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    change_page = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="change_page"
    ).first()
    if access_admin is None or change_page is None:
        return  # a fresh database: permissions come after migrate, and so do producers
    for story in ProducerStoryPage.objects.select_related("producer__partner"):
        group, _ = Group.objects.get_or_create(name=f"story-editors-producer-{story.producer_id}")
        group.permissions.add(access_admin)
        GroupPagePermission.objects.get_or_create(
            group=group, page_id=story.pk, permission=change_page
        )
        group.user_set.set(story.producer.partner.users.all())
    reviewers, _ = Group.objects.get_or_create(name="county-story-reviewers")
    reviewers.permissions.add(access_admin)
    reviewers.user_set.add(*{r.user_id for r in CountyReviewer.objects.all()})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_county_review_task"),
        ("producers", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
