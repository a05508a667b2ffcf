"""`make run` where only the application is shipped: the demo needs neither the
test package nor factory-boy."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Run by `manage.py shell -c` in the copy: what a visitor of `make run` would see.
CHECK = """
import json
from django.test import Client
from oscar.core.loading import get_model
from catalogue.models import ProductReviewDecision
Product = get_model("catalogue", "Product")
approved = Product.objects.filter(review_status="approved")
approvals = ProductReviewDecision.objects.filter(action="approve", actor__is_staff=True)
client = Client(HTTP_HOST="127.0.0.1")
print(json.dumps({
    "approved": approved.count(),
    "approved_without_decision": approved.exclude(pk__in=approvals.values("product")).count(),
    "home": client.get("/").status_code,
    "catalogue": client.get("/catalogue/").status_code,
}))
"""


def _copy_without_tests(destination: Path) -> None:
    """The files git knows of (tracked, or new and not ignored), minus tests/."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        # Deleted but not yet staged, or the .venv symlink.
        if name.split("/", 1)[0] == "tests" or not source.is_file() or source.is_symlink():
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _block_imports(directory: Path, *modules: str) -> None:
    for module in modules:
        package = directory / module
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(
            f"raise ImportError('{module} is a test dependency, not the application’s')\n"
        )


def _manage(tree: Path, env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_demo_seeds_and_serves_from_a_tree_without_tests_or_factory_boy(tmp_path):
    tree = tmp_path / "app"
    _copy_without_tests(tree)
    assert (tree / "manage.py").exists() and not (tree / "tests").exists()
    blocked = tmp_path / "blocked"
    _block_imports(blocked, "factory", "faker")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.dev",
        "DATABASE_URL": f"sqlite:///{tree / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tree / "media"),
        "ELASTICSEARCH_URL": "",
        # Ahead of site-packages: `import factory` fails as where it is not installed.
        "PYTHONPATH": str(blocked),
    }

    _manage(tree, env, "migrate", "--noinput")
    out = _manage(tree, env, "demo_seed")
    assert "demo logins" in out
    _manage(tree, env, "search_rebuild_index")
    seen = json.loads(_manage(tree, env, "shell", "-c", CHECK).strip().splitlines()[-1])

    # 80 single listings and the two multi-spec listings (their variants are reviewed with them).
    assert seen == {"approved": 82, "approved_without_decision": 0, "home": 200, "catalogue": 200}
