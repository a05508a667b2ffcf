"""deploy/ stays in step with the code: the env file example lists every
variable the settings read and the README documents, and sets every variable
the systemd units use."""

import re

from marketplace.env import BASE_DIR

DEPLOY = BASE_DIR / "deploy"
SETTINGS = [BASE_DIR / "marketplace" / "settings" / n for n in ("base.py", "production.py")]
# Read by the settings for benchmarks/load.py only, never set in a deployment.
NOT_FOR_DEPLOYMENTS = {"BENCH_BARE_VIEW"}


def _example() -> tuple[set[str], set[str]]:
    """(set, listed): variables given a value, and those also shown commented out."""
    text = (DEPLOY / "marketplace.env.example").read_text()
    given = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.M))
    shown = set(re.findall(r"^# ([A-Z][A-Z0-9_]*)=", text, re.M))
    return given, given | shown


def _read_by_settings() -> set[str]:
    names = set()
    for path in SETTINGS:
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', path.read_text()))
    return names


def _readme_configuration() -> set[str]:
    readme = (BASE_DIR / "README.md").read_text()
    start = readme.index("| variable | default | meaning |")
    table = readme[start : readme.index("\n\n", start)]
    names = set()
    for line in table.splitlines()[2:]:
        names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    return names


def test_the_env_example_lists_every_variable_the_settings_read():
    _given, listed = _example()
    read = _read_by_settings()
    assert {"DATABASE_REPLICA_URL", "ELASTICSEARCH_SHARDS", "ELASTICSEARCH_REPLICAS"} <= read
    assert read - NOT_FOR_DEPLOYMENTS - listed == set()


def test_the_env_example_lists_every_variable_of_the_readme_configuration_table():
    _given, listed = _example()
    documented = _readme_configuration()
    # The table is one table (no blank line splitting it) reaching its last rows.
    assert {"PROCUREMENT_FREIGHT_MAX_SHARE", "DATABASE_REPLICA_URL"} <= documented
    assert documented - listed == set()
    assert _read_by_settings() - NOT_FOR_DEPLOYMENTS - {"DJANGO_SETTINGS_MODULE"} <= documented


def test_the_env_example_sets_every_variable_the_units_use():
    given, _listed = _example()
    used = set()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        assert "EnvironmentFile=/etc/marketplace/marketplace.env" in text
        used |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", text))
    assert {"WEB_BIND_HOST", "WEB_WORKERS", "WORKER_CONCURRENCY"} <= used
    assert used - given == set()
