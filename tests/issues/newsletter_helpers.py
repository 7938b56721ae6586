"""An issue holding every block type, for the email edition's tests and benchmark."""

from __future__ import annotations

from insights.models import Author
from tests.factories import (
    list_items,
    make_article,
    make_author,
    make_image,
    make_issue,
    make_question,
    make_video,
    stream,
)

# One distinctive phrase per block: each must reach the HTML and the text part.
BLOCK_MARKERS = {
    "heading": "Heading marker alpha",
    "paragraph": "Paragraph marker bravo",
    "pull_quote": "Quote marker charlie",
    "chart_callout": "Chart marker delta",
    "uploaded_chart": "Uploaded chart marker echo",
    "image": "Image caption marker foxtrot",
    "table": "Table marker golf",
    "embed": "Embed marker hotel",
    "related_links": "Links marker india",
    "video_feature": "Video blurb marker juliet",
    "question_of_the_week": "How should middle powers navigate relations with China?",
    "newsletter_signup": "Signup marker kilo",
}


def issue_with_every_block(tree, copies: int = 1, **fields):
    """A published issue whose body holds every block of the issue stream, ``copies`` times."""
    author = Author.objects.filter(name="Sajjad Ashraf").first() or make_author("Sajjad Ashraf")
    article = make_article(tree.insights, authors=[author])
    video = make_video(tree.videos)
    question = make_question(tree.questions, prompted_by=article)
    photo = make_image("Photo", size=(1200, 800), description="Leaders shake hands")
    chart = make_image("Chart", size=(800, 400), description="")
    m = BLOCK_MARKERS
    blocks = [
        ("heading", {"text": m["heading"], "level": "h2"}),
        ("paragraph", f'<p>{m["paragraph"]} <a href="/insights/">relative link</a>.</p>'),
        ("pull_quote", {"quote": m["pull_quote"], "speaker": "Zhao", "source_page": article.pk}),
        (
            "chart_callout",
            {
                "headline": m["chart_callout"],
                "data": list_items([{"label": "A", "value": "1"}, {"label": "B", "value": "2"}]),
                "source_note": "FRED",
                "article": article.pk,
            },
        ),
        (
            "chart_callout",
            {
                "headline": m["uploaded_chart"],
                "chart_image": chart.pk,
                "alt_text": "Debt rose from 99% to 104% of GDP",
                "data": [],
                "source_note": "FRED",
            },
        ),
        ("image", {"image": photo.pk, "caption": m["image"], "credit": "Photo: Focus"}),
        (
            "table",
            {
                "data": [["Year", "Value"], [m["table"], "42"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "A table",
            },
        ),
        ("embed", {"url": "https://youtu.be/abcDEF12345", "title": m["embed"], "poster": photo.pk}),
        (
            "related_links",
            {"heading": m["related_links"], "links": list_items([{"page": article.pk}])},
        ),
        ("video_feature", {"video": video.pk, "blurb": m["video_feature"], "cta_label": "Watch"}),
        ("question_of_the_week", {"question": question.pk}),
        ("newsletter_signup", {"heading": m["newsletter_signup"], "button_label": "Subscribe"}),
    ]
    return make_issue(tree.issues, body=stream(*(blocks * copies)), **fields)
