// What Oscar's dashboard layout starts in its inline "onbodyload" block, run
// from a static file in the producer workspace and on the staff review pages
// (templates/dashboard/staff_base.html) because their Content-Security-Policy
// runs no inline script (templates/oscar/base.html).
(function ($) {
  "use strict";
  $(function () {
    oscar.dashboard.init({ languageCode: document.documentElement.lang });
  });
})(jQuery);
