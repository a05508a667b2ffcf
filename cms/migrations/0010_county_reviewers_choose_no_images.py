"""County reviewers read the stories of their county and nothing else in
/cms/. Wagtail's images and documents migrations (``add_choose_permissions``)
give every group with admin access "choose" on the root collection, so when
they ran after 0006 had made the reviewers' group, any county reviewer could
list and choose every producer's images. This takes those rows away again
(cms.services.county_story_reviewer_sync keeps it so)."""

from django.db import migrations

COUNTY_STORY_REVIEWERS_GROUP = "county-story-reviewers"


def forwards(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(group__name=COUNTY_STORY_REVIEWERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0009_producer_image_collections"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
