"""The three section indexes under the home page (stories, county pavilions,
news), published, so that a fresh site has them. Historical models cannot use
treebeard's add_child, so paths are computed here as 0002 does for the home
page. Story and county pages of producers approved before this migration are
made by ``manage.py cms_ensure_pages`` (through the services, not here)."""

from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, steplen 4

SECTIONS = (
    ("storyindexpage", "StoryIndexPage", "生产者故事", "stories", {}),
    ("regionindexpage", "RegionIndexPage", "县域馆", "counties", {"region": None}),
    ("newsindexpage", "NewsIndexPage", "消费帮扶动态", "news", {}),
)


def _step(number: int) -> str:
    digits = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        digits = ALPHABET[digit] + digits
    return digits


def create_sections(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    home = apps.get_model("cms.HomePage").objects.first()
    if home is None:
        return
    now = timezone.now()
    for model_name, class_name, title, slug, extra in SECTIONS:
        model = apps.get_model("cms", class_name)
        if model.objects.filter(**extra).exists() if extra else model.objects.exists():
            continue
        children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
        last = children.order_by("-path").values_list("path", flat=True).first()
        number = int(last[-4:], 36) + 1 if last else 1
        if children.filter(slug=slug).exists():
            continue
        content_type, _ = ContentType.objects.get_or_create(model=model_name, app_label="cms")
        model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=home.path + _step(number),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            intro="",
            **extra,
        )
        Page.objects.filter(pk=home.pk).update(numchild=children.count())


def remove_sections(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    for _model_name, class_name, _title, _slug, extra in SECTIONS:
        apps.get_model("cms", class_name).objects.filter(numchild=0, **extra).delete()
    for home in apps.get_model("cms.HomePage").objects.all():
        children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
        Page.objects.filter(pk=home.pk).update(numchild=children.count())


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_story_county_news_pages")]

    operations = [migrations.RunPython(create_sections, remove_sections)]
