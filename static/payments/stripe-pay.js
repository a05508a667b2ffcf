// The card payment page (templates/payments/stripe_pay.html). The card
// element belongs to Stripe.js: the number goes from it to Stripe, which
// hands back a token; our server gets only the token's id, attaches it to the
// order's PaymentIntent and confirms it. If the bank asks for 3-D Secure,
// confirmCardPayment runs it here. A declined card or a failed check leaves
// the order waiting: the buyer tries again, with this card or another.
(function () {
  "use strict";
  var root = document.getElementById("stripe-payment");
  if (!root || typeof Stripe === "undefined") {
    return;
  }
  var data = root.dataset;
  var stripe = Stripe(data.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#stripe-card-element");
  var form = document.getElementById("stripe-card-form");
  var button = document.getElementById("stripe-pay-button");
  var errorBox = document.getElementById("stripe-card-error");

  function showError(message) {
    errorBox.textContent = message;
    errorBox.classList.remove("d-none");
    button.disabled = false;
  }

  function postToken(tokenId) {
    var body = new URLSearchParams();
    body.append("token", tokenId);
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    return fetch(data.cardUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body: body,
    }).then(function (response) {
      return response.json();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errorBox.classList.add("d-none");
    stripe
      .createToken(card)
      .then(function (result) {
        if (result.error || !result.token) {
          throw { ours: true, message: data.incomplete };
        }
        return postToken(result.token.id);
      })
      .then(function (answer) {
        if (answer.status === "succeeded" || answer.status === "processing") {
          window.location.assign(answer.return_url);
          return null;
        }
        if (answer.status === "requires_action") {
          return stripe.confirmCardPayment(answer.client_secret).then(function (result) {
            if (result.error || !result.paymentIntent || result.paymentIntent.status !== "succeeded") {
              throw { ours: true, message: data.authenticationFailed };
            }
            window.location.assign(answer.return_url);
          });
        }
        throw { ours: true, message: answer.message || data.unavailable };
      })
      .catch(function (error) {
        // Only our own sentences are shown: a network failure's text is not for buyers.
        showError(error && error.ours ? error.message : data.unavailable);
      });
  });

  // Alipay and WeChat Pay, where STRIPE_PAYMENT_METHODS offers them: Stripe.js
  // confirms the order's own intent with its client secret (Alipay leaves for
  // its page and comes back to the return URL; WeChat Pay shows its QR code).
  var wallets = document.getElementById("stripe-wallets");
  if (wallets) {
    var walletError = document.getElementById("stripe-wallet-error");
    var confirmers = {
      alipay: function (secret, returnUrl) {
        return stripe.confirmAlipayPayment(secret, { return_url: returnUrl });
      },
      wechat_pay: function (secret) {
        return stripe.confirmWechatPayPayment(secret, {
          payment_method_options: { wechat_pay: { client: "web" } },
        });
      },
    };
    var walletFailed = function () {
      walletError.textContent = wallets.dataset.walletFailed;
      walletError.classList.remove("d-none");
    };
    wallets.addEventListener("click", function (event) {
      var method = event.target.getAttribute("data-wallet");
      if (!method) {
        return;
      }
      walletError.classList.add("d-none");
      var confirmName = method === "alipay" ? "confirmAlipayPayment" : "confirmWechatPayPayment";
      if (!confirmers[method] || typeof stripe[confirmName] !== "function") {
        walletFailed();
        return;
      }
      var returnUrl = wallets.dataset.returnUrl;
      confirmers[method](wallets.dataset.clientSecret, returnUrl)
        .then(function (result) {
          if (result.error) {
            walletFailed();
          } else if (result.paymentIntent && result.paymentIntent.status === "succeeded") {
            window.location.assign(returnUrl);
          }
        })
        .catch(walletFailed);
    });
  }
})();
