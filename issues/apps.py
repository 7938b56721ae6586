from django.apps import AppConfig


class IssuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "issues"
    verbose_name = "Focus This Week"

    def ready(self):
        from .notifications import send_one_submission_email
        from .responses import signals

        signals.connect()
        send_one_submission_email()
