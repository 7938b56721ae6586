"""GET and POST on a question page: post/redirect/get, stored exactly once."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from home.caching import cache_until
from issues.models.responses import QuestionResponse

from . import ratelimit
from .forms import ResponseForm
from .notify import notify_new_response

if TYPE_CHECKING:
    # The page model imports this view: its name is for annotations only.
    from issues.models.questions import QuestionPage

logger = logging.getLogger(__name__)

THANKS_PARAM = "answered"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def thanks_url(page: QuestionPage, request: HttpRequest) -> str:
    return f"{page.get_url(request)}?{THANKS_PARAM}=1#respond"


def blank_form() -> ResponseForm:
    return ResponseForm(initial={"token": uuid.uuid4()})


def store(page: QuestionPage, form: ResponseForm) -> tuple[QuestionResponse, bool]:
    """Save a valid answer once per form token; editors are told only after commit."""
    data = form.cleaned_data
    with transaction.atomic():
        response, created = QuestionResponse.objects.get_or_create(
            submission_token=data["token"],
            defaults={
                "question": page,
                "name": data["name"],
                "email": data["email"],
                "affiliation": data["affiliation"],
                "response": data["response"],
                "original_response": data["response"],
                "consent_to_publish": data["consent"],
            },
        )
        if created:
            transaction.on_commit(lambda: notify_new_response(response.pk))
    return response, created


def render(
    page: QuestionPage,
    request: HttpRequest,
    form: ResponseForm | None = None,
    notice: str = "",
    status: int = 200,
) -> TemplateResponse:
    context = page.get_context(request)
    context["response_form"] = form if form is not None else blank_form()
    context["response_notice"] = notice
    context["response_thanks"] = request.method == "GET" and THANKS_PARAM in request.GET
    return TemplateResponse(request, page.get_template(request), context, status=status)


def kept_text(request: HttpRequest) -> ResponseForm:
    """An unbound form holding what the reader typed, so a refusal loses nothing."""
    initial = {name: request.POST.get(name, "") for name in ("name", "email", "affiliation")}
    initial["response"] = request.POST.get("response", "")
    initial["consent"] = bool(request.POST.get("consent"))
    initial["token"] = request.POST.get("token") or uuid.uuid4()
    return ResponseForm(initial=initial)


def serve_question(page: QuestionPage, request: HttpRequest) -> HttpResponse:
    # The form gives way to "closed" at midnight: no cached copy outlives it.
    cache_until(request, page.closes_at())
    if request.method != "POST":
        return render(page, request)
    if not page.is_open:
        closed = gettext("Answers to this question closed on %(date)s.") % {
            "date": date_format(page.closing_date, gettext("j F Y"))
        }
        return render(page, request, notice=closed, status=403)
    decision = ratelimit.hit(request)
    if not decision.allowed:
        minutes = max(1, decision.retry_after // 60)
        notice = ngettext(
            "You have sent several answers in a short time, so this one was not accepted. "
            "Please wait %(minutes)d minute and send it again; your text is kept below.",
            "You have sent several answers in a short time, so this one was not accepted. "
            "Please wait %(minutes)d minutes and send it again; your text is kept below.",
            minutes,
        ) % {"minutes": minutes}
        refused = render(page, request, form=kept_text(request), notice=notice, status=429)
        refused["Retry-After"] = str(decision.retry_after)
        return refused
    form = ResponseForm(request.POST)
    if form.is_spam():
        # Looks accepted to the bot, so it learns nothing; nothing is stored.
        logger.info("Discarded a reader response that filled the honeypot field")
        return HttpResponseSeeOther(thanks_url(page, request))
    if not form.is_valid():
        if form.token_error():
            # A fresh token lets the reader resend the same text.
            data = request.POST.copy()
            data["token"] = str(uuid.uuid4())
            form = ResponseForm(data)
            form.is_valid()
            form.add_error(
                None, gettext("This form had expired. Please check your answer and send it again.")
            )
        return render(page, request, form=form, status=400)
    store(page, form)
    return HttpResponseSeeOther(thanks_url(page, request))
