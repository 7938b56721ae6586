"""Placeholder images drawn locally, so sample content needs no downloads."""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

PALETTE = [
    ((158, 27, 31), (253, 252, 248)),
    ((27, 58, 92), (240, 236, 226)),
    ((44, 82, 52), (245, 241, 232)),
    ((92, 58, 27), (250, 246, 238)),
    ((60, 60, 60), (248, 246, 240)),
]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without scalable default font
        return ImageFont.load_default()


def draw_placeholder(text: str, width: int, height: int, label: str = "") -> bytes:
    """A flat, captioned PNG: colour chosen from the text so it is stable."""
    index = int(hashlib.sha1(text.encode()).hexdigest(), 16) % len(PALETTE)
    background, foreground = PALETTE[index]
    image = PILImage.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    size = max(24, height // 6)
    big = _font(size)
    # Shrink long titles until they fit with a margin.
    while size > 16 and draw.textlength(text, font=big) > width * 0.86:
        size -= 4
        big = _font(size)
    small = _font(max(14, height // 18))
    bbox = draw.textbbox((0, 0), text, font=big)
    draw.text(
        ((width - (bbox[2] - bbox[0])) / 2, (height - (bbox[3] - bbox[1])) / 2 - height // 12),
        text,
        fill=foreground,
        font=big,
    )
    if label:
        bbox = draw.textbbox((0, 0), label, font=small)
        draw.text(
            ((width - (bbox[2] - bbox[0])) / 2, height * 0.68), label, fill=foreground, font=small
        )
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def get_or_create_image(title: str, text: str, description: str, size=(1280, 720), label=""):
    """The sample image with this title, drawing and saving it on first use."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    data = draw_placeholder(text, *size, label=label)
    slug = hashlib.sha1(title.encode()).hexdigest()[:10]
    image = image_model(title=title, description=description)
    image.file = ImageFile(BytesIO(data), name=f"sample-{slug}.png")
    image.save()
    return image, True
