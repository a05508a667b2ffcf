"""Templates ask the workflow which actions a user may take now, never re-derive
them: ``{% available_transitions order request.user as actions %}`` and then
``{% if "submit" in actions %}``."""

from django import template

from common.workflow import workflow_for_model

register = template.Library()


@register.simple_tag
def available_transitions(obj, user):
    return workflow_for_model(type(obj)).available_transitions(obj, user)
