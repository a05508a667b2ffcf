"""Generated sample pictures: one per category for the listings (a gradient with
the category's emblem), a landscape per producer story, and plain placeholders
for the scanned documents that applications, invoices and off-platform records
carry."""

import io
import math
import random
from collections.abc import Callable
from functools import cache

from django.core.files.base import ContentFile
from PIL import Image, ImageChops, ImageDraw

_SIZE = 600
# Shapes are drawn at twice the size and scaled down: ImageDraw does not antialias.
_CANVAS = _SIZE * 2
_INK = (255, 255, 255, 235)
_SOFT = (255, 255, 255, 70)


def _ellipse_points(cx, cy, rx, ry, angle_deg, steps=72):
    a = math.radians(angle_deg)
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append(
            (cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
        )
    return points


def _leaf_points(base, tip, width, steps=40):
    """A pointed leaf from ``base`` to ``tip`` (sin-shaped half widths)."""
    (bx, by), (tx, ty) = base, tip
    length = math.hypot(tx - bx, ty - by)
    nx, ny = -(ty - by) / length, (tx - bx) / length
    side = []
    for i in range(steps + 1):
        u = i / steps
        w = width / 2 * math.sin(math.pi * u) ** 0.8
        side.append((bx + (tx - bx) * u, by + (ty - by) * u, w))
    return [(x + nx * w, y + ny * w) for x, y, w in side] + [
        (x - nx * w, y - ny * w) for x, y, w in reversed(side)
    ]


def _draw_fruit(d: ImageDraw.ImageDraw, bg):
    for cx, cy in ((470, 700), (730, 700), (600, 500)):
        d.ellipse((cx - 170, cy - 170, cx + 170, cy + 170), fill=_INK, outline=bg, width=14)
    d.line((600, 330, 640, 250), fill=_INK, width=22)
    d.polygon(_leaf_points((640, 270), (800, 220), 90), fill=_INK)


def _draw_tea(d: ImageDraw.ImageDraw, bg):
    d.line((600, 930, 600, 400), fill=_INK, width=24)
    for base, tip in (((600, 760), (330, 520)), ((600, 640), (870, 420))):
        d.polygon(_leaf_points(base, tip, 200), fill=_INK)
        d.line((*base, *tip), fill=bg, width=10)
    d.polygon(_leaf_points((600, 470), (600, 250), 90), fill=_INK)


def _draw_grain(d: ImageDraw.ImageDraw, bg):
    d.line((600, 980, 600, 300), fill=_INK, width=20)
    for i in range(6):
        y = 820 - i * 95
        for side in (-1, 1):
            d.polygon(_ellipse_points(600 + side * 70, y, 85, 40, -side * 35), fill=_INK)
    d.polygon(_ellipse_points(600, 250, 40, 80, 0), fill=_INK)


def _draw_fungi(d: ImageDraw.ImageDraw, bg):
    for cx, base, r in ((520, 900, 260), (830, 900, 150)):
        stem_w, cap_y = r * 0.45, base - r * 1.5
        d.rounded_rectangle(
            (cx - stem_w / 2, cap_y, cx + stem_w / 2, base), radius=stem_w / 3, fill=_INK
        )
        d.pieslice((cx - r, cap_y - r, cx + r, cap_y + r), 180, 360, fill=_INK)
        d.line((cx - r, cap_y, cx + r, cap_y), fill=bg, width=12)


def _draw_meat(d: ImageDraw.ImageDraw, bg):
    for cx, cy, r in ((500, 640, 230), (760, 720, 170)):
        points = []
        for i in range(90):
            t = 2 * math.pi * i / 90
            # Narrower towards the top, as an egg is.
            points.append(
                (cx + r * 0.78 * math.cos(t) * (1 + 0.16 * math.sin(t)), cy + r * math.sin(t))
            )
        d.polygon(points, fill=_INK, outline=bg, width=14)


def _draw_honey(d: ImageDraw.ImageDraw, bg):
    r = 120
    step_x, step_y = r * math.sqrt(3), r * 1.5
    cells = [(0, 0), (-1, 0), (1, 0), (-0.5, -1), (0.5, -1), (-0.5, 1), (0.5, 1)]
    for col, row in cells:
        centre = (600 + col * step_x, 600 + row * step_y)
        d.regular_polygon((centre, r - 12), 6, rotation=30, fill=_INK)


def _draw_craft(d: ImageDraw.ImageDraw, bg):
    def diamond(cx, cy, r, **kw):
        d.polygon(((cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)), **kw)

    diamond(600, 600, 330, fill=_INK)
    diamond(600, 600, 230, fill=bg)
    diamond(600, 600, 130, fill=_INK)
    for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        diamond(600 + dx * 430, 600 + dy * 430, 60, fill=_INK)


def _draw_food(d: ImageDraw.ImageDraw, bg):
    d.rounded_rectangle((390, 400, 810, 940), radius=90, fill=_INK)
    d.rounded_rectangle((420, 290, 780, 390), radius=24, fill=_INK)
    d.rounded_rectangle((450, 560, 750, 760), radius=20, fill=bg)


_EMBLEMS: dict[str, Callable[[ImageDraw.ImageDraw, tuple], None]] = {
    "FRUIT": _draw_fruit,
    "TEA": _draw_tea,
    "GRAIN": _draw_grain,
    "FUNGI": _draw_fungi,
    "MEAT": _draw_meat,
    "HONEY": _draw_honey,
    "CRAFT": _draw_craft,
    "FOOD": _draw_food,
}


def _hex_rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


@cache
def category_picture(code: str, top: str, bottom: str) -> bytes:
    """A 600×600 PNG: diagonal gradient with the category's emblem."""
    vertical = Image.linear_gradient("L").resize((_CANVAS, _CANVAS))
    mask = ImageChops.add(vertical, vertical.transpose(Image.Transpose.ROTATE_90), scale=2)
    image = Image.composite(
        Image.new("RGBA", (_CANVAS, _CANVAS), _hex_rgb(bottom)),
        Image.new("RGBA", (_CANVAS, _CANVAS), _hex_rgb(top)),
        mask,
    )
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.ellipse((120, 120, _CANVAS - 120, _CANVAS - 120), fill=_SOFT)
    _EMBLEMS[code](draw, (*_hex_rgb(bottom), 255))
    image = Image.alpha_composite(image, layer).convert("RGB").resize((_SIZE, _SIZE), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def listing_photo(*, code: str, colours: list[str], name: str) -> ContentFile:
    """The category's picture as an upload for the listing service."""
    return ContentFile(category_picture(code, *colours), name=name)


_STORY_SIZE = (960, 600)


@cache
def story_picture(key: str, sky: str, hills: str, fields: str) -> bytes:
    """A 960×600 JPEG landscape, the same for the same arguments: a sky
    gradient, a sun, two ranges of hills and terraced fields, their shapes
    drawn from ``key`` (a seeded generator, never the global one)."""
    width, height = _STORY_SIZE
    rng = random.Random(key)
    sky_rgb, hills_rgb, fields_rgb = _hex_rgb(sky), _hex_rgb(hills), _hex_rgb(fields)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(
        Image.new("RGB", (width, height), (255, 255, 255)),
        Image.new("RGB", (width, height), sky_rgb),
        gradient,
    )
    draw = ImageDraw.Draw(image)
    sun_x = rng.randint(120, width - 120)
    draw.ellipse((sun_x - 45, 70, sun_x + 45, 160), fill=(255, 244, 214))
    for depth, shade in ((0, 0.55), (1, 1.0)):
        colour = tuple(int(c * shade + 255 * (1 - shade) * 0.35) for c in hills_rgb)
        base = 300 + depth * 90
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base - rng.randint(20, 140)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    for row in range(5):
        top = 440 + row * 32
        colour = tuple(min(255, c + row * 12) for c in fields_rgb)
        draw.polygon(
            [
                (0, top + rng.randint(0, 12)),
                (width, top - rng.randint(0, 24)),
                (width, height),
                (0, height),
            ],
            fill=colour,
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def licence_scan(colour: str = "#b22") -> ContentFile:
    """A placeholder scan of a licence: a PNG that passes the upload checks."""
    image = Image.new("RGB", (320, 220), "#f4f1e8")
    image.paste(Image.new("RGB", (300, 40), colour), (10, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="licence.png")


def evidence_pdf(name: str) -> ContentFile:
    """A placeholder scanned PDF, complete enough to pass the upload checks."""
    return ContentFile(
        b"%PDF-1.4\n% demo evidence\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n0\n%%EOF\n",
        name=name,
    )
