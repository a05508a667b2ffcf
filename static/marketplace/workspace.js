// What Oscar's dashboard layout starts in its inline "onbodyload" block, run
// from a static file in the producer workspace because the
// Content-Security-Policy runs no inline script (templates/oscar/base.html).
(function ($) {
  "use strict";
  $(function () {
    oscar.dashboard.init({ languageCode: document.documentElement.lang });
  });
})(jQuery);
