from django.urls import path

from .admin_views import StartNextIssueView

urlpatterns = [
    path("start-next/", StartNextIssueView.as_view(), name="start_next_issue"),
]
