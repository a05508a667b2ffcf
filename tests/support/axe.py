"""axe-core in the browser tests: the vendored engine (tests/support/axe/,
axe-core 4.10.2 from the npm registry, MPL-2.0, its LICENSE beside it) run on
the page Playwright shows, for the WCAG 2.0/2.1 A and AA rules."""

from pathlib import Path

AXE_VERSION = "4.10.2"
AXE_SOURCE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"critical", "serious"}

_RUN = """async (tags) => {
    const result = await axe.run(document, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return result.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map(n => n.target.join(' ')),
        summaries: v.nodes.map(n => n.failureSummary),
        data: v.nodes.map(n => (n.any.concat(n.all, n.none).find(c => c.data) || {}).data || null),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """The page's WCAG A/AA violations: id, impact, help and the elements' selectors.

    The engine is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so the policy stays as served."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(_RUN, WCAG_TAGS)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(name: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        shown = ", ".join(v["targets"][:4]) + (" …" if len(v["targets"]) > 4 else "")
        lines.append(
            f"  {name}: [{v['impact']}] {v['id']} ×{len(v['targets'])} — {v['help']}: {shown}"
        )
    return "\n".join(lines)
