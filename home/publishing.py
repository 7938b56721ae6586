"""What a page must satisfy before readers see it, whoever asks.

Drafts save half-written: Wagtail validates a draft save (and autosave) with
"deferred validation", and Focus's blocks keep their reader-protecting rules
(two chart points, a linked page that will be live, alt text...) for
publishing and submitting for approval. The rules themselves live once, in
the blocks' ``clean()`` and the page form; this module runs them outside a
form so the editor can be warned about a saved draft, and so a scheduled
page is checked again when it is due to go live.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorList
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.blocks.base import get_error_json_data
from wagtail.fields import StreamField

from home.blocks import going_live_at
from home.routing import OwnAddressPageForm
from home.traditional_drafts import review_problems


def _messages(block, error_json: dict, path: str) -> list[str]:
    """Readable lines from a block's error tree, each naming where it is."""
    lines = [f"{path}: {message}" for message in error_json.get("messages", [])]
    for key, child_json in (error_json.get("blockErrors") or {}).items():
        if isinstance(block, blocks.StructBlock):
            child = block.child_blocks[key]
            child_path, child_block = f"{path} › {child.label}", child
        elif isinstance(block, blocks.ListBlock):
            child_path, child_block = f"{path} › item {int(key) + 1}", block.child_block
        else:
            child_path, child_block = path, block
        lines.extend(_messages(child_block, child_json, child_path))
    return lines


def stream_problems(stream_block, value, field_label: str) -> list[str]:
    """Every rule a stream's blocks would refuse at publishing, one line each."""
    problems = []
    for position, child in enumerate(value, start=1):
        try:
            child.block.clean(child.value)
        except ValidationError as error:
            where = f"{field_label}, block {position} ({child.block.label})"
            problems.extend(_messages(child.block, get_error_json_data(error), where))
    if stream_block.meta.min_num and len(value) < stream_block.meta.min_num:
        problems.append(f"{field_label}: add at least {stream_block.meta.min_num} blocks.")
    return problems


def publishing_problems(page, at: datetime | None = None) -> list[str]:
    """Why ``page`` (as it stands, e.g. a draft revision) could not be published at ``at``.

    Runs the same checks as the editor's Publish button: every StreamField's
    blocks, then the page type's own ``publishing_rules()`` if it has any, then
    the review of a 繁體 machine draft (home.traditional_drafts).
    """
    problems = []
    with going_live_at(at or getattr(page, "go_live_at", None)):
        for field in page._meta.get_fields():
            if isinstance(field, StreamField):
                value = getattr(page, field.name)
                problems.extend(
                    stream_problems(field.stream_block, value, capfirst(field.verbose_name))
                )
    rules = getattr(page, "publishing_rules", None)
    if rules is not None:
        problems.extend(message for _field, message in rules())
    problems.extend(review_problems(page))
    return problems


class PublishingRulesForm(OwnAddressPageForm):
    """A page form whose page choosers are judged at the page's own go-live time.

    An issue scheduled for Friday 08:00 may link an article scheduled for
    Thursday: the blocks compare each chosen page with the submitted
    go-live date rather than with now.
    """

    def full_clean(self):
        with going_live_at(self._submitted_go_live_at()):
            super().full_clean()
        if not self.is_bound or self.is_deferred_validation:
            return
        # Page-type rules (an issue's letter...), skipped for drafts like the blocks'.
        # _post_clean has copied the cleaned fields onto the instance.
        rules = getattr(self.instance, "publishing_rules", None)
        for field, message in rules() if rules is not None else []:
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
            elif field not in self.fields:
                self._errors.setdefault(NON_FIELD_ERRORS, ErrorList()).append(message)
        # A refused publish lists every block problem in the message at the top,
        # not only beside blocks the editor may have to scroll to find.
        summary = self._stream_error_lines()
        if summary:
            self._errors.setdefault(NON_FIELD_ERRORS, ErrorList()).extend(summary)

    def _stream_error_lines(self) -> list[str]:
        lines = []
        for name, errors in self.errors.as_data().items():
            field = self.fields.get(name)
            block = getattr(field, "block", None)
            if not isinstance(block, blocks.StreamBlock):
                continue
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            label = capfirst(field.label or name)
            for error in errors:
                error_json = get_error_json_data(error)
                lines.extend(f"{label}: {message}" for message in error_json.get("messages", []))
                for index, child_json in (error_json.get("blockErrors") or {}).items():
                    child = value[int(index)]
                    where = f"{label}, block {int(index) + 1} ({child.block.label})"
                    lines.extend(_messages(child.block, child_json, where))
        return lines

    def _submitted_go_live_at(self) -> datetime | None:
        if not self.is_bound or "go_live_at" not in self.fields:
            return None
        field = self.fields["go_live_at"]
        try:
            return field.clean(
                field.widget.value_from_datadict(
                    self.data, self.files, self.add_prefix("go_live_at")
                )
            )
        except ValidationError:
            return None  # the field itself reports the bad date
