"""Rules of customer accounts."""


def registration_is_pending(user) -> bool:
    """An account registered on the storefront whose owner has not yet opened
    the activation link: inactive and never signed in. Registering its address
    again sends a new link (the first may be lost or expired)."""
    return not user.is_active and user.last_login is None
