"""The catalogue version: one number that changes whenever what a storefront
page shows of the catalogue may have changed (price, stock, listing review
state, categories, photos, certificates, published content pages).

Rendered blocks of the storefront (listing results, the category tree, the
product page's body, the home page's blocks) are cached under keys that hold
this number, so a bump makes every one of them miss at once, on every node:
nothing has to find and delete the stale entries, they expire on their own.

The number lives in the cache itself (``cache.incr`` is atomic on Redis, and
within one process on LocMem, which only ``make run`` uses). It is bumped when
the changing transaction commits (and when the change is made): a request
reading the number the commit made also reads the committed rows, so nothing
stale is stored under it.
When the key is missing (a fresh or flushed cache) it starts from the clock in
milliseconds, never from a number an older, evicted counter may have used.

This is catalogue's because catalogue is the lowest app that sees every such
change (partner's stock records sit below it); callers above it (search's
receivers and outbox, cms's publish hooks) call ``catalogue_version_bump``."""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.html import format_html

from common.transactions import on_commit_once

VERSION_KEY = "catalogue:version"

# Within one request the version is read once: a page keys several blocks
# (layout menus, category tree, listing or product parts), each a cache round
# trip otherwise. Outside a request (workers, commands) it is read every time.
_request = threading.local()


def catalogue_version() -> int:
    """The current version (reads one cache key, once per request)."""
    version = getattr(_request, "version", None)
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _start()
    version = int(version)
    if getattr(_request, "active", False):
        _request.version = version
    return version


def request_started(environ=None, **kwargs) -> None:
    """A request begins: read the version afresh, then keep it for the request."""
    environ = environ or {}
    _request_reset(
        active=True, page=(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
    )


def request_finished(**kwargs) -> None:
    page = getattr(_request, "page", None)
    used = getattr(_request, "used", None)
    if page is not None and used:
        _blocks_used[page] = tuple(used)
        while len(_blocks_used) > BLOCKS_REMEMBERED:
            _blocks_used.pop(next(iter(_blocks_used)))
    _request_reset(active=False, page=None)


def _request_reset(*, active: bool, page) -> None:
    _request.active = active
    _request.page = page
    _request.version = None
    _request.blocks = None
    _request.used = None


# --- the blocks of one page in one round trip ----------------------------------------
#
# A page shows several cached blocks (the menus, the category tree, the product
# page's parts), each a cache read when the template reaches it. This process
# remembers which blocks each address showed last time (their keys without the
# version) and reads them all with one ``get_many`` when the page asks for its
# first block; the others are then answered from that read. A block the page no
# longer shows costs nothing; one it did not show before is read on its own.
BLOCKS_REMEMBERED = 2000
_blocks_used: dict = {}


def storefront_block_get(key: str):
    """The cached HTML of the block under ``key`` (None when not cached), with
    the page's other remembered blocks read in the same round trip."""
    if not getattr(_request, "active", False):
        return cache.get(key)
    kind_and_rest = _unversioned(key)
    if getattr(_request, "used", None) is None:
        _request.used = []
    _request.used.append(kind_and_rest)
    if getattr(_request, "blocks", None) is None:
        version = catalogue_version()
        remembered = _blocks_used.get(_request.page, ())
        keys = {_versioned(k, version) for k in remembered} | {key}
        _request.blocks = cache.get_many(list(keys)) if len(keys) > 1 else {}
        if len(keys) == 1:
            return cache.get(key)
    if key in _request.blocks:
        return _request.blocks.pop(key)
    return cache.get(key)


def _unversioned(key: str) -> tuple[str, str]:
    prefix, kind, _version, rest = key.split(":", 3)
    return (f"{prefix}:{kind}", rest)


def _versioned(unversioned: tuple[str, str], version: int) -> str:
    head, rest = unversioned
    return f"{head}:{version}:{rest}"


def catalogue_version_bump() -> None:
    """Make every cached storefront block stale: now, and again when the
    current transaction commits (once, at once, outside a transaction).

    The bump on commit is the one that counts: a request that renders between
    the change and its commit reads the old rows and may store them under the
    number the first bump made, which the second bump retires. The first one
    makes the change visible at once to the transaction that made it (and to
    tests, whose transactions never commit); after a rollback it only costs a
    re-render."""
    _incr()
    if transaction.get_connection().in_atomic_block:
        # One bump on commit is enough however many rows the transaction changed.
        on_commit_once(_incr, robust=True)


def _start() -> int:
    _request.version = None
    cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
    return int(cache.get(VERSION_KEY) or 0)


def _incr() -> None:
    _request.version = None  # this request reads the number it made
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing: a fresh start is newer than any old number
        _start()


def storefront_cache_key(kind: str, *parts) -> str:
    """The cache key of a rendered storefront block: its kind, the catalogue
    version, the active language and whatever else it varies by (hashed, so
    a long query string makes a short key)."""
    raw = "\x1f".join(str(p) for p in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"storefront:{kind}:{catalogue_version()}:{language}:{digest}"


def storefront_cache_seconds() -> int:
    """How long a rendered block is kept at most: the bound on staleness from
    anything that changes without a bump (a search index refreshing a second
    after the write, a certificate lapsing at midnight)."""
    return settings.STOREFRONT_CACHE_SECONDS


# --- per-visitor parts of a cached block ---------------------------------------------
#
# A block is rendered for whoever asked first and then served to everyone, so
# nothing of that first visitor may stay in it. The only such thing the cached
# blocks hold is the CSRF token of their "add to basket" forms: before storing,
# the token's input is replaced by a mark, and each request puts its own token
# back (``html_for_request``). The mark is an HTML tag, which product text
# (escaped) cannot produce, so no data can ask for a visitor's token.
# Everything else per visitor (basket, login, messages, wish lists) is rendered
# outside the cached blocks.

_CSRF_MARK = '<input type="hidden" name="csrfmiddlewaretoken" value="storefront-csrf-mark">'


def _csrf_input(token) -> str:
    return str(format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token))


def html_for_cache(html: str, *, csrf_token) -> str:
    """The rendered block without this visitor's CSRF token in it."""
    if not csrf_token:
        return html
    return html.replace(_csrf_input(csrf_token), _CSRF_MARK)


def html_for_request(html: str, *, csrf_token) -> str:
    """A cached block with this visitor's CSRF token in its forms."""
    if _CSRF_MARK not in html:
        return html
    return html.replace(_CSRF_MARK, _csrf_input(csrf_token) if csrf_token else "")
