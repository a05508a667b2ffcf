// What Oscar's storefront templates start in their inline "onbodyload" blocks,
// run from a static file because the Content-Security-Policy runs no inline
// script (templates/oscar/base.html). Each page module starts only where its
// markup is on the page; behaviours.js stands in for Oscar's onclick="".
(function ($) {
  "use strict";
  $(function () {
    oscar.init();
    if ($("#basket_formset, #saved_basket_formset, #voucher_form_container").length) {
      oscar.basket.init({ basketURL: document.body.dataset.basketUrl });
    }
    if ($(".facet_checkbox").length) {
      // Not oscar.search.init(): its sort select submits on every change, so
      // one arrow key reloaded the page; the sort form has a button instead.
      oscar.search.initFacetWidgets();
    }
    if ($("form input[name=options]").length) {
      oscar.checkout.gateway.init();
    }
    if ($(".clipboard-item").length) {
      oscar.customer.wishlists.init();
    }
    if ($('a[data-behaviours~="archive"], a[data-behaviours~="delete"]').length) {
      oscar.notifications.init();
    }
  });
})(jQuery);
