"""A URL fuzzer for the Django test client: every URL pattern the site serves,
filled with real and junk ids, requested with junk query parameters and junk
form posts; it records every answer's status and every 5xx with its traceback.

It builds no rows: each request runs in a savepoint that is rolled back, so a
junk post that happens to be valid (a staff member deleting a category) leaves
the world as it was for the next request, and a database error inside a view
does not poison the test's transaction.
"""

import collections
import dataclasses
import functools
import itertools
import logging
import random
import time
import traceback
import uuid
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern, URLPattern, URLResolver

BIG = str(2**63)  # one past the largest bigint
LONG = "长" * 10_000

# Values a converter or a regex group may be filled with, besides real ids.
JUNK_BY_CONVERTER = {
    "int": ["0", "1", "99999999", BIG],
    "str": ["x", "..", "\x00", "a" * 2000, "木耳", "'\"<>", "-1", "create"],
    "slug": ["x", "-", "a" * 300],
    "path": ["../etc/passwd", "x/y"],
    "uuid": [str(uuid.UUID(int=random.Random(1).getrandbits(128), version=4))],
    # A converter of the project's own: whatever of the above it accepts.
    "any": ["0", "1", "99999999", BIG, "x", "\x00", "木耳", "__fk__"],
}
JUNK_FOR_REGEX = [
    "1",
    "0",
    "99999999",
    BIG,
    "-1",
    "x",
    "abc-def",
    "a" * 300,
    "木耳",
    "default_for_billing",
    "default_for_shipping",
    "A1-_=:",
    "x/",
    "x/y/",
    "",
]

# Junk for a form field or a query parameter, and for some names their own.
JUNK_VALUES = [
    "abc",
    "-1",
    "0",
    "99999999999",
    BIG,
    "",
    "\x00",
    LONG,
    "1.5",
    "1e309",
    "NaN",
    "2026-13-45",
    "木耳",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
JUNK_BY_PARAM = {
    "page": ["abc", "-1", "0", "999999", "1.5", BIG],
    "sort": ["checkbox", "-checkbox", "junk", "-", "__class__", "pk__in"],
    "sort_by": ["junk", "", "-price"],
    "dir": ["up", "", "\x00"],
    "q": ["<script>alert(1)</script>", "\x00", LONG, "木耳", "%", "'", "*:*", "a AND (b"],
    "year": ["0", "99999", "-1", "abc", BIG],
    "status": ["zzz", "", "\x00"],
    "format": ["zzz", "", "csv", "xlsx"],
    "response_format": ["zzz", "csv"],
    "next": ["//evil.example.com/", "javascript:alert(1)", "\x00"],
}
# Every GET parameter the views read (grep request.GET, Oscar's included) and the
# search facets; the page's own GET forms add theirs.
QUERY_NAMES = [
    "page",
    "sort",
    "sort_by",
    "dir",
    "q",
    "year",
    "status",
    "format",
    "response_format",
    "email",
    "name",
    "next",
    "upload_type",
    "order_id",
    "order_number",
    "category",
    "province",
    "city",
    "county",
    "producer",
    "certificate",
    "key_county",
    "price",
    "availability",
]
FORMSET_JUNK = {
    "TOTAL_FORMS": ["0", "-1", "1000", "abc"],
    "INITIAL_FORMS": ["0", "-1", "5", "abc"],
}
# When the page has no form of its own, a POST carries these.
GENERIC_POST_NAMES = ["action", "decision", "pk", "id", "quantity", "note", "reason", "file"]


@dataclasses.dataclass(frozen=True)
class Param:
    name: str | int  # an int for a positional regex group
    converter: str | None  # None for a regex group


@dataclasses.dataclass(frozen=True)
class Route:
    """One URL pattern with the text of its full route, as ResolverMatch.route has it."""

    route: str
    viewname: str | None
    params: tuple[Param, ...]
    callback: object = dataclasses.field(compare=False, repr=False)

    @property
    def view(self) -> str:
        view = getattr(self.callback, "view_class", self.callback)
        return f"{view.__module__}.{view.__qualname__}"


def _params(pattern) -> list[Param]:
    if isinstance(pattern, RoutePattern):
        names = {
            "IntConverter": "int",
            "StringConverter": "str",
            "SlugConverter": "slug",
            "PathConverter": "path",
            "UUIDConverter": "uuid",
        }
        return [
            Param(name, names.get(type(conv).__name__, "any"))
            for name, conv in pattern.converters.items()
        ]
    if isinstance(pattern, RegexPattern):
        named = list(pattern.regex.groupindex)
        if named:
            return [Param(name, None) for name in named]
        return [Param(i, None) for i in range(pattern.regex.groups)]
    return []


def routes(exclude_prefixes=()) -> list[Route]:
    """Every URL pattern under the root resolver, in urls.py order, skipping routes
    that start with one of ``exclude_prefixes``."""
    found = []

    def walk(patterns, prefix, namespaces, params):
        for entry in patterns:
            # As ResolverMatch.route joins them: a nested regex loses its "^".
            text = prefix + str(entry.pattern).removeprefix("^") if prefix else str(entry.pattern)
            if any(text.startswith(p) for p in exclude_prefixes):
                continue
            here = params + _params(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespaces + ([entry.namespace] if entry.namespace else [])
                walk(entry.url_patterns, text, ns, here)
            elif isinstance(entry, URLPattern):
                viewname = ":".join([*namespaces, entry.name]) if entry.name else None
                found.append(Route(text, viewname, tuple(here), entry.callback))

    walk(get_resolver().url_patterns, "", [], [])
    return found


def route_of(path: str) -> str | None:
    """The full route text a path resolves to, or None."""
    try:
        return resolve(unquote(path)).route
    except (Resolver404, ValueError):
        return None


def _build(route: Route, values: dict) -> str | None:
    """The URL of ``route`` with ``values``, if it resolves back to ``route``."""
    if not route.params:
        return "/" + route.route if route.viewname is None else reverse(route.viewname)
    if route.viewname is None:
        return None
    try:
        if isinstance(route.params[0].name, int):
            url = reverse(route.viewname, args=[values[p.name] for p in route.params])
        else:
            url = reverse(route.viewname, kwargs=values)
    except NoReverseMatch:
        return None
    return url if route_of(url) == route.route else None


def _candidates(param: Param) -> list[str]:
    return JUNK_BY_CONVERTER[param.converter] if param.converter else JUNK_FOR_REGEX


def fitting_values(route: Route) -> dict | None:
    """The first junk values, one per parameter, with which ``route`` reverses."""
    for combo in itertools.product(*(_candidates(p) for p in route.params)):
        values = {p.name: v for p, v in zip(route.params, combo, strict=True)}
        if _build(route, values):
            return values
    return None


@functools.cache
def junk_urls(route: Route, real_url: str | None) -> list[str]:
    """URLs of ``route`` with one parameter at a time replaced by junk, the others
    taken from ``real_url`` when there is one."""
    if not route.params:
        return []
    if real_url:
        match = resolve(unquote(urlsplit(real_url).path))
        base = dict(match.kwargs) if match.kwargs else dict(enumerate(match.args))
    else:
        base = fitting_values(route)
        if base is None:
            return []
    urls = []
    for param in route.params:
        for value in _candidates(param):
            url = _build(route, {**{k: str(v) for k, v in base.items()}, param.name: value})
            if url and url not in urls and url != real_url:
                urls.append(url)
    return urls


# --- Pages -------------------------------------------------------------------


@dataclasses.dataclass
class Form:
    method: str
    action: str
    fields: list = dataclasses.field(default_factory=list)  # (name, type, [values])


class PageParser(HTMLParser):
    """The links and forms of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form((attrs.get("method") or "get").lower(), attrs.get("action") or "")
            self.forms.append(self._form)
            if self._form.action:
                self.links.append(self._form.action)
        elif self._form is not None and attrs.get("name"):
            name = attrs["name"]
            if tag in ("input", "button"):
                kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
                self._form.fields.append((name, kind, [attrs.get("value") or ""]))
            elif tag == "textarea":
                self._form.fields.append((name, "textarea", [""]))
            elif tag == "select":
                self._select = []
                self._form.fields.append((name, "select", self._select))
        if tag == "option" and self._select is not None:
            self._select.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse_page(response) -> PageParser:
    parser = PageParser()
    if (
        not getattr(response, "streaming", False)
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
    ):
        parser.feed(response.content.decode("utf-8", "replace"))
    return parser


# --- Junk --------------------------------------------------------------------


def junk_query(rng: random.Random, extra_names=()) -> dict:
    """Junk for about half of every known GET parameter and the page's own."""
    names = sorted(set(QUERY_NAMES) | set(extra_names))
    chosen = [n for n in names if rng.random() < 0.5] or ["page"]
    return {n: rng.choice(JUNK_BY_PARAM.get(n, JUNK_VALUES)) for n in chosen}


def junk_upload(rng: random.Random):
    name, content = rng.choice(
        [
            ("x.png", b"not a png"),
            ("x.pdf", b"%PDF-junk"),
            ("x.csv", "a,b\n\x00,木耳\n".encode()),
            ("../../x.xlsx", b"PK\x03\x04junk"),
            ("", b""),
        ]
    )
    return SimpleUploadedFile(name or "empty", content, content_type="application/octet-stream")


def junk_form_data(rng: random.Random, form: Form | None) -> dict:
    """A POST for ``form``: every field junk or, for about half the choices, a
    valid option so that the view gets past its first checks."""
    if form is None:
        return {n: rng.choice(JUNK_VALUES) for n in GENERIC_POST_NAMES if rng.random() < 0.6}
    data: dict = {}
    buttons = [f for f in form.fields if f[1] in ("submit", "image")]
    for name, kind, values in form.fields:
        if name == "csrfmiddlewaretoken" or kind in ("submit", "image", "reset"):
            continue
        suffix = name.rsplit("-", 1)[-1]
        if suffix in FORMSET_JUNK:
            data[name] = rng.choice(FORMSET_JUNK[suffix])
        elif suffix in ("MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[name] = values[0]
        elif kind == "file":
            if rng.random() < 0.7:
                data[name] = junk_upload(rng)
        elif kind in ("select", "radio", "checkbox", "hidden") and rng.random() < 0.5:
            if values and values != [""]:
                data.setdefault(name, rng.choice(values))
        else:
            data[name] = rng.choice(JUNK_VALUES)
    if buttons:
        name, _kind, values = rng.choice(buttons)
        data[name] = values[0] if rng.random() < 0.8 else rng.choice(JUNK_VALUES)
    return data


# --- Requests ----------------------------------------------------------------


@dataclasses.dataclass
class Failure:
    method: str
    url: str
    role: str
    status: int
    view: str
    error: str

    def __str__(self):
        url = self.url if len(self.url) < 160 else self.url[:160] + "…"
        return f"{self.method} {url!r} as {self.role} → {self.status} in {self.view}: {self.error}"


class Recorder:
    """Counts answers by status and keeps every 5xx."""

    def __init__(self):
        self.histogram: collections.Counter = collections.Counter()
        self.by_method: collections.Counter = collections.Counter()
        self.failures: list[Failure] = []
        self.routes_hit: dict[str, set] = collections.defaultdict(set)
        self.seconds_by_route: collections.Counter = collections.Counter()

    @property
    def requests(self) -> int:
        return sum(self.histogram.values())

    def request(self, client, role, method, url, data=None, route=None):
        """One request in a savepoint that is rolled back afterwards."""
        started = time.monotonic()
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, data or {})
            else:
                response = client.post(url, data or {})
            transaction.set_rollback(True)
        self.histogram[response.status_code] += 1
        self.by_method[method] += 1
        if route is not None:
            self.routes_hit[route].add((method, role))
            self.seconds_by_route[route] += time.monotonic() - started
        if response.status_code >= 500:
            self.failures.append(
                Failure(method, url, role, response.status_code, _view_of(url), _error(response))
            )
        if getattr(response, "streaming", False):
            # Reading it to the end closes it the way the test client expects;
            # response.close() alone would fire request_finished, whose handler
            # closes the database connection under the test's transaction.
            b"".join(response.streaming_content)
        return response

    def summary(self) -> dict:
        return {
            "requests": self.requests,
            "by_method": dict(sorted(self.by_method.items())),
            "status_histogram": {str(k): v for k, v in sorted(self.histogram.items())},
            "failures": [str(f) for f in self.failures],
            "slowest_routes": [
                f"{route}: {seconds:.1f} s"
                for route, seconds in self.seconds_by_route.most_common(15)
            ],
        }


def _view_of(url):
    try:
        func = resolve(unquote(urlsplit(url).path)).func
    except (Resolver404, ValueError):
        return "?"
    view = getattr(func, "view_class", func)
    return f"{view.__module__}.{view.__qualname__}"


def _error(response) -> str:
    if not response.exc_info:
        return "(no exception: the view answered 5xx itself)"
    kind, value, tb = response.exc_info
    frames = traceback.extract_tb(tb)
    # The innermost frame of ours, else of the library whose view it was.
    ours = (
        [f for f in frames if "/site-packages/" not in f.filename]
        or [
            f
            for f in frames
            if f"/site-packages/{kind.__module__.split('.')[0]}/" not in f.filename
            and "/site-packages/django/" not in f.filename
        ]
        or frames
    )
    where = f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "?"
    return f"{kind.__name__}: {str(value)[:200]} at {where}"


class quiet_request_log:
    """Django logs every 4xx and 5xx, django-axes every login; thousands of
    deliberate ones are noise here (the recorder keeps the 5xx)."""

    LOGGERS = ("django.request", "django.security", "axes")

    def __enter__(self):
        self._levels = {}
        for name in self.LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            logger.setLevel(logging.CRITICAL + 1)

    def __exit__(self, *exc):
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
