"""Every URL pattern the site serves, walked as every role with real and junk ids,
junk query parameters and junk form posts: no answer may be a 5xx.

The walk is deterministic (seeded per pattern and role). For each pattern and
role it GETs a real URL — one found in a link on a page this role or an earlier
one saw, or else one with junk ids — and POSTs junk into one of that page's
forms; then, sampled to keep the run to a few minutes, it GETs the pattern with
junk ids, GETs the real URL with junk query parameters, and POSTs nothing or
junk to both. The request count and status histogram are printed at the end of
the run (tests/hardening/conftest.py) and written to test-results/url-fuzz.json.
"""

import random
import time

import pytest
from django.test import Client

from tests.factories.world import ROLES, fuzz_world
from tests.support.url_fuzz import (
    Recorder,
    junk_form_data,
    junk_query,
    junk_urls,
    parse_page,
    quiet_request_log,
    route_of,
    routes,
)

pytestmark = pytest.mark.django_db

# Not ours to serve, so not walked: the Django admin, the Wagtail admin and its
# document serving. Static and media files are not routed when DEBUG is off.
EXCLUDED = ("django-admin/", "cms/", "documents/")
# Share of the sampled extra requests per pattern and role (see the docstring).
EXTRA_SHARE = 0.35
REAL_URLS_PER_ROUTE = 3


@pytest.fixture
def world(shipping_country, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return fuzz_world(shipping_country)


class Walker:
    def __init__(self, recorder, all_routes):
        self.recorder = recorder
        self.routes = all_routes
        self.by_text = {r.route: r for r in all_routes}
        # Real URLs per route: every role's finds, and each role's own.
        self.pool: dict[str, list[str]] = {r.route: [] for r in all_routes}
        self.own: dict[str, dict[str, list[str]]] = {}

    def learn(self, role, response):
        page = parse_page(response)
        for href in page.links:
            if not href.startswith("/") or href.startswith("//"):
                continue
            path = href.split("#", 1)[0].split("?", 1)[0]
            route = route_of(path)
            if route not in self.pool or not self.by_text[route].params:
                continue
            own = self.own[role].setdefault(route, [])
            if path not in own and len(own) < REAL_URLS_PER_ROUTE:
                own.append(path)
            if path not in self.pool[route] and len(self.pool[route]) < REAL_URLS_PER_ROUTE:
                self.pool[route].append(path)
        return page

    def walk(self, role, user):
        self.own[role] = {}
        self.role, self.user = role, user
        self.client = Client(raise_request_exception=False)
        self._login()
        # Pages without ids first: their links give the others real ids.
        for route in sorted(self.routes, key=lambda r: len(r.params)):
            rng = random.Random(f"{route.route}|{role}")
            real = (self.own[role].get(route.route) or self.pool[route.route] or [None])[0]
            junk = junk_urls(route, real)
            url = real or (junk[0] if junk else "/" + route.route)

            page = self.learn(role, self.send(route, "GET", url))
            post_forms = [f for f in page.forms if f.method == "post"]
            get_fields = [n for f in page.forms if f.method == "get" for n, *_ in f.fields]
            form = post_forms[ROLES.index(role) % len(post_forms)] if post_forms else None
            self.send(route, "POST", url, junk_form_data(rng, form))
            if junk and rng.random() < EXTRA_SHARE:
                self.send(route, "GET", rng.choice(junk))
            if rng.random() < EXTRA_SHARE:
                self.send(route, "GET", url, junk_query(rng, get_fields))
            if junk and rng.random() < EXTRA_SHARE:
                self.send(route, "POST", rng.choice(junk), junk_form_data(rng, None))
            if rng.random() < EXTRA_SHARE:
                self.send(route, "POST", url)

    def send(self, route, method, url, data=None):
        response = self.recorder.request(
            self.client, self.role, method, url, data, route=route.route
        )
        # A logout (or a junk post that cycled the session) signs the client
        # out; the next request is this role's again.
        if self.user is not None and _session(self.client) != self.cookie:
            self._login()
        return response

    def _login(self):
        self.cookie = None
        if self.user is not None:
            self.client.force_login(self.user)
            self.cookie = _session(self.client)


def _session(client):
    morsel = client.cookies.get("sessionid")
    return morsel.value if morsel else None


def test_no_url_answers_5xx_to_any_role_with_junk_ids_params_or_posts(world, url_fuzz_report):
    all_routes = routes(exclude_prefixes=EXCLUDED)
    recorder = Recorder()
    walker = Walker(recorder, all_routes)
    for url in world["urls"]:
        walker.pool[route_of(url)].append(url)
    started, cpu = time.monotonic(), time.process_time()
    with quiet_request_log():
        for role in ROLES:
            walker.walk(role, world["users"][role])
    url_fuzz_report.update(
        recorder.summary(),
        routes=len(all_routes),
        roles=list(ROLES),
        seconds=time.monotonic() - started,
        cpu_seconds=time.process_time() - cpu,
        routes_without_real_url=sorted(
            r.route for r in all_routes if r.params and not walker.pool[r.route]
        ),
    )

    missed = [
        (r.route, method, role)
        for r in all_routes
        for role in ROLES
        for method in ("GET", "POST")
        if (method, role) not in recorder.routes_hit[r.route]
    ]
    assert missed == []
    assert recorder.failures == [], "\n".join(str(f) for f in recorder.failures)
