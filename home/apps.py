from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Focus site"

    def ready(self):
        from home.caching import signals as cache_signals
        from home.feeds import signals as feed_signals

        cache_signals.connect()
        feed_signals.connect()
