"""Content-Security-Policy violations in a Playwright browser context.

Every document the context opens reports each violation (the browser's
``securitypolicyviolation`` event) to the console, and Chromium's own
"Refused to …" console errors are caught too; both land in ``violations``.
"""

REPORTER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " blocked " +
    (event.blockedURI || "inline") + " on " + event.documentURI +
    (event.sample ? " (" + event.sample + ")" : ""));
});
"""


def record_csp_violations(context, violations: list[str]) -> None:
    def on_console(message):
        text = message.text
        if text.startswith("CSP violation:") or "Content Security Policy" in text:
            violations.append(text)

    context.add_init_script(REPORTER)
    context.on("console", on_console)
