"""localstripe on 127.0.0.1 only, started empty and keeping nothing on disk.

Its own entry point listens on every interface and pickles its whole store to
/tmp/localstripe.pickle after each write (shared by every copy on the machine);
the tests need neither. Usage: python localstripe_loopback.py PORT
"""

import sys

from aiohttp import web
from localstripe import server
from localstripe.resources import store

store.dump_to_disk = lambda: None
web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
