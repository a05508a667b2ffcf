"""The storefront visit benchmarks/load.py runs under locust (not a test; run by
load.py, which writes the targets file and reads the CSV back).

Each visit is a new anonymous shopper: home, a category, a product (whose
add-to-basket form gives the CSRF token), a search, basket add, checkout
start, and the bare view, each its own row in locust's statistics. The run
stops after LOAD_MAX_VISITS visits (or locust's --run-time, whichever first).
"""

import json
import os
import random
import re

from locust import HttpUser, constant, events, task

TARGETS = json.loads(open(os.environ["LOAD_TARGETS"], encoding="utf-8").read())
MAX_VISITS = int(os.environ["LOAD_MAX_VISITS"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_visits = 0


@events.test_start.add_listener
def _reset(environment, **kwargs):
    global _visits
    _visits = 0


class Shopper(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.random = random.Random(id(self))

    def _plain_cookies(self):
        """Production marks its cookies Secure; the benchmark talks plain HTTP
        on loopback (no TLS proxy in front), so they are unmarked before each
        request to be sent back. (A cookie policy would not do: requests merges
        the session's cookies into a fresh jar with the default policy.)"""
        for cookie in self.client.cookies:
            cookie.secure = False

    def _get(self, name: str, url: str, *, refused_at: str = "", **kwargs):
        """GET that counts anything but a 200 as an error, and a 200 that ended
        (after redirects) at a path containing ``refused_at`` too."""
        self._plain_cookies()
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code}")
            elif refused_at and refused_at in response.url:
                response.failure(f"{name}: sent to {refused_at}")
            return response

    @task
    def visit(self):
        global _visits
        if _visits >= MAX_VISITS:
            self.environment.runner.quit()
            return
        _visits += 1
        self.client.cookies.clear()
        self._get("home", "/")
        self._get("category", self.random.choice(TARGETS["categories"]))
        product = self.random.choice(TARGETS["products"])
        page = self._get("product", product["url"])
        self._get("search", "/search/", params={"q": self.random.choice(TARGETS["queries"])})
        token = CSRF.search(page.text or "")
        self._plain_cookies()
        with self.client.post(
            product["add_url"],
            data={"csrfmiddlewaretoken": token.group(1) if token else "", "quantity": "1"},
            headers={"Referer": self.host + product["url"]},
            name="basket add",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"basket add: HTTP {response.status_code}")
        # An empty basket (the add failed) sends checkout back to /basket/.
        self._get("checkout start", "/checkout/", refused_at="/basket/")
        self._get("bare view", TARGETS["bare"])
