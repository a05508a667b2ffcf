"""Demo data for ``make run``: content in ``demo/data/`` (TOML), seeded through the
apps' services by ``manage.py demo_seed``. The top layer: it may import any of our
apps, and none of them imports it."""
