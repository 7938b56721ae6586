"""The admin's page chooser opens where the form's edition keeps the pages it may choose."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import build_site, make_article, make_video, translate_page

pytestmark = pytest.mark.django_db

ARTICLE = "insights.insightarticlepage"


@pytest.fixture
def site():
    tree = build_site()
    article = make_article(tree.insights, title="An English article")
    translated = translate_page(article, "zh-hans", title="一篇中文文章")
    return tree, article, translated


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chief", "chief@focus.example", "pw")
    client.force_login(user)
    return client


def opened_at(admin_client, **params) -> int:
    response = admin_client.get(reverse("wagtailadmin_choose_page"), params)
    assert response.status_code == 200
    return response.json()["parent_page_id"]


def test_a_type_restricted_chooser_opens_at_that_types_index_in_the_forms_edition(
    site, admin_client
):
    tree, article, translated = site
    # Across the three editions the pages' common ancestor is the root of the tree.
    assert opened_at(admin_client, page_type=ARTICLE, locale="zh-hans") == (
        translated.get_parent().pk
    )
    assert opened_at(admin_client, page_type=ARTICLE, locale="en") == tree.insights.pk
    response = admin_client.get(
        reverse("wagtailadmin_choose_page"), {"page_type": ARTICLE, "locale": "zh-hans"}
    )
    # The article of the edition is offered, and the other edition's is not.
    assert "一篇中文文章" in response.json()["html"]
    assert "An English article" not in response.json()["html"]


def test_the_chooser_falls_back_to_wagtails_start_where_it_has_nothing_to_aim_at(
    site, admin_client
):
    tree, _article, _translated = site
    root = tree.home.get_parent().pk
    # No type restriction, no edition given.
    assert opened_at(admin_client, locale="zh-hans") == root
    assert opened_at(admin_client, page_type=ARTICLE) == root
    # Only English videos: Wagtail's start, their common ancestor.
    make_video(tree.videos)
    assert opened_at(admin_client, page_type="issues.videopage", locale="zh-hans") == (
        tree.videos.pk
    )
    # Browsing on from a page, a bad type or edition, are Wagtail's own answers.
    child = reverse("wagtailadmin_choose_page_child", args=[tree.home.pk])
    assert admin_client.get(child, {"page_type": ARTICLE}).json()["parent_page_id"] == (
        tree.home.pk
    )
    assert (
        admin_client.get(
            reverse("wagtailadmin_choose_page"), {"page_type": "no.such", "locale": "en"}
        ).status_code
        == 404
    )


def test_the_chooser_is_behind_the_sign_in(site, client):
    response = client.get(reverse("wagtailadmin_choose_page"), {"page_type": ARTICLE})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
