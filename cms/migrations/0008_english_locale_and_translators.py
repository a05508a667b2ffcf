"""Translations: the English locale beside the Chinese one, every existing page
kept in the Chinese (default) locale, and the site's editor groups allowed to
translate pages (wagtail.contrib.simple_translation's permission)."""

from django.conf import settings
from django.db import migrations

EDITOR_GROUPS = ("Editors", "Moderators")


def forward(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    default, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    # Before translations there was one tree; it is the Chinese one (wagtailcore's
    # own migration already put its pages in the default locale).
    Page.objects.exclude(locale=default).update(locale=default)
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)

    content_type, _created = ContentType.objects.get_or_create(
        app_label="simple_translation", model="simpletranslation"
    )
    translate, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(translate)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_story_county_pages_per_language"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
