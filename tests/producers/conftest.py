import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A media directory of the test's own, so that 'nothing was stored' can be checked."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _own_private_root(private_root):
    """Producers' documents go to the private storage: a directory of the test's own too."""
    return private_root
