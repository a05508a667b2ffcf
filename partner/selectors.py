from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


def partner_is_managed_by(*, partner_id: int, user) -> bool:
    """Whether ``user`` works for the partner (Oscar's ``Partner.users``).

    The one rule for "a producer's own users": a producer is one-to-one with its
    partner, so producers, catalogue and procurement all ask this."""
    if not user.is_authenticated:
        return False
    return Partner.objects.filter(pk=partner_id, users=user).exists()
