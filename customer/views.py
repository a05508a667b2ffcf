from oscar.apps.customer import views


class LogoutView(views.LogoutView):
    """Logging out changes state, so only a POST does it (Oscar's view also
    logs out on GET and OPTIONS): a link or an image on another site cannot
    sign a customer out. The navigation posts a form with the CSRF token."""

    http_method_names = ["post"]
