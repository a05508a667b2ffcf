import json

import pytest

_URL_FUZZ = pytest.StashKey[dict]()


@pytest.fixture
def url_fuzz_report(request):
    """A dict the URL fuzz test fills; printed at the end of the run and written
    to test-results/url-fuzz.json."""
    report: dict = {}
    request.config.stash[_URL_FUZZ] = report
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    report = config.stash.get(_URL_FUZZ, None)
    if not report:
        return
    terminalreporter.section("URL fuzz")
    terminalreporter.write_line(
        f"{report['requests']} requests ({report['by_method']}) on {report['routes']} URL "
        f"patterns as {len(report['roles'])} roles in {report['seconds']:.0f} s "
        f"({report['cpu_seconds']:.0f} s of this process's CPU)"
    )
    terminalreporter.write_line(f"status histogram: {report['status_histogram']}")
    terminalreporter.write_line(f"5xx answers: {len(report['failures'])}")
    for failure in report["failures"]:
        terminalreporter.write_line(f"  {failure}")
    results = config.rootpath / "test-results"
    results.mkdir(exist_ok=True)
    (results / "url-fuzz.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
