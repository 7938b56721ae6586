from django.db import migrations

INDEX = "focus_indexentry_title_body_gin"


def create(apps, schema_editor):
    # PostgreSQL only: Wagtail's PostgreSQL backend matches a search against
    # ``title || body``, which its separate title and body indexes cannot
    # serve, so every search read the whole index table. SQLite searches
    # through its own FTS5 table.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_cache_counters"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
