// "获取验证码" (data-behaviours="sms-send") without leaving the page: posts the
// form's number with fetch (the server answers JSON when asked for it), shows
// the code field and counts down until another code may be sent. Without this
// script the button is a plain submit and the page comes back with the field.
(function () {
  "use strict";

  function countDown(button, seconds) {
    var label = button.textContent;
    var template = button.getAttribute("data-resend-label") || "%(seconds)s";
    button.disabled = true;
    var left = seconds;
    var tick = function () {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.textContent = template.replace("%(seconds)s", String(left));
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  function send(button) {
    var form = button.form;
    var notice = form.querySelector("[data-sms-notice]");
    var codePart = form.querySelector("[data-sms-code-part]");
    var data = new FormData(form);
    data.set("send_code", "1");
    data.delete("verify");
    button.disabled = true;
    form.querySelectorAll("[data-sms-error]").forEach(function (el) { el.remove(); });
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      notice.textContent = answer.message || "";
      notice.classList.toggle("text-success", !!answer.sent);
      notice.classList.toggle("text-danger", !answer.sent);
      if (answer.sent) {
        codePart.hidden = false;
        var code = codePart.querySelector("input");
        if (code) { code.focus(); }
        countDown(button, answer.wait || Number(button.getAttribute("data-resend-seconds")) || 60);
      } else {
        button.disabled = false;
      }
    }).catch(function () {
      // The page's own form post still works: fall back to it.
      button.disabled = false;
      form.requestSubmit(button);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest('[data-behaviours~="sms-send"]') : null;
    if (!button || !button.form || !window.fetch) { return; }
    event.preventDefault();
    send(button);
  });
})();
