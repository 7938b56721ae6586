"""The three editions' locales: English, Simplified and Traditional Chinese.

Wagtail's own migrations create the English one; this adds the two Chinese
editions so pages and snippets can be translated into them straight away.
"""

from django.db import migrations

EDITIONS = ["en", "zh-hans", "zh-hant"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in EDITIONS:
        Locale.objects.get_or_create(language_code=code)


def remove_chinese_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    # Only empty ones: a locale that pages point at is protected.
    Page = apps.get_model("wagtailcore", "Page")
    for code in EDITIONS[1:]:
        locale = Locale.objects.filter(language_code=code).first()
        if locale and not Page.objects.filter(locale=locale).exists():
            locale.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales, remove_chinese_locales)]
