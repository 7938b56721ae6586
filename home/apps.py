from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Focus site"

    def ready(self):
        from home.caching import signals as cache_signals
        from home.feeds import signals as feed_signals

        cache_signals.connect()
        feed_signals.connect()
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="focus_cache_tables")


def create_cache_tables(using: str = "default", **kwargs) -> None:
    """Make the database cache's tables with the schema: production uses them without Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
