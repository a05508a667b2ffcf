"""The one transition helper every status workflow uses (house style 14).

A ``Workflow`` is a table: ``(from_status, action) → to_status``, each step with
the roles that may take it and an optional guard. The app supplies
``roles(obj, user) -> set[str]``; the helper answers what a user may do now
(``available_transitions``, for templates and views) and takes a step
(``apply``: check, set the status, save, write the log row). Services still own
the transaction, the row lock and every side effect (stock, mail, contracts).

Why not django-fsm-2 or viewflow's fsm: both put each transition on the model as
a decorated method with its side effects inside, and permission is one callable
per method. Here the services are the only writers and already lock rows and
send mail on commit; what they lack is one table of steps per role, one log
model and refusals with stable codes, which is this small module.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError

# The from_status of the step that brings an object into existence.
START = ""


class TransitionRefused(DomainError):
    code = "transition_refused"


class IllegalTransition(TransitionRefused):
    """No such step from the object's current status."""

    code = "illegal_transition"
    message = _("当前状态下不能进行此操作。")


class TransitionNotPermitted(TransitionRefused):
    """The step exists but none of the user's roles may take it, or its guard says no."""

    code = "transition_not_permitted"
    message = _("您没有办理此事项的权限。")


class ReasonRequired(TransitionRefused):
    """The step must say why (a return, a rejection, a refusal)."""

    code = "reason_required"
    message = _("请说明理由。")


# A guard returns None when the step may be taken now, otherwise the error to
# raise (so that a refusal can say exactly why, e.g. segregation of duties).
Guard = Callable[[Any, Any], DomainError | None]


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    guard: Guard | None = None
    reason_required: bool = False
    # The app's error when a user without the role tries this step, when the
    # step is its own rule ("only the county's reviewer recommends").
    denied: type[DomainError] | None = None


def step(
    source: str,
    action: str,
    target: str,
    *,
    roles: Iterable[str],
    guard: Guard | None = None,
    reason_required: bool = False,
    denied: type[DomainError] | None = None,
) -> Transition:
    return Transition(
        source=source,
        action=action,
        target=target,
        roles=frozenset(roles),
        guard=guard,
        reason_required=reason_required,
        denied=denied,
    )


# Filled as each app's workflows module is imported (from its AppConfig.ready()).
_BY_MODEL: dict[type, "Workflow"] = {}
_BY_LOG_MODEL: dict[type, "Workflow"] = {}


def workflow_for_model(model: type) -> "Workflow":
    return _BY_MODEL[model]


def workflow_for_log(log_model: type) -> "Workflow":
    return _BY_LOG_MODEL[log_model]


class Workflow:
    """One model's status workflow.

    ``log_model`` subclasses ``common.models.TransitionLog``; ``log_subject`` is
    the name of its foreign key to the model. ``actions`` maps action codes to
    their labels (a ``TextChoices`` works). ``errors`` maps a refusal class of
    this module to an app's subclass of it, so that the app's views and tests
    keep catching their own exception types.
    """

    def __init__(
        self,
        *,
        model,
        transitions: Iterable[Transition],
        roles: Callable[[Any, Any], set[str]],
        log_model,
        log_subject: str,
        actions: Mapping[str, Any] | type,
        field: str = "status",
        errors: Mapping[type[TransitionRefused], type[TransitionRefused]] | None = None,
        messages: Mapping[type[TransitionRefused], Any] | None = None,
        illegal: Mapping[str, type[DomainError]] | None = None,
    ):
        self.model = model
        self.field = field
        self.roles = roles
        self.log_model = log_model
        self.log_subject = log_subject
        self.actions = dict(actions.choices) if hasattr(actions, "choices") else dict(actions)
        self.table: dict[tuple[str, str], Transition] = {}
        for transition in transitions:
            key = (transition.source, transition.action)
            if key in self.table:
                raise ValueError(f"{model.__name__}: step {key} is defined twice")
            if transition.action not in self.actions:
                raise ValueError(f"{model.__name__}: action {transition.action!r} has no label")
            self.table[key] = transition
        # A workflow may word a refusal in its own domain; an illegal step's
        # message may use %(status)s and %(action)s.
        self.messages = dict(messages or {})
        self.errors = dict(errors or {})
        # An action taken from a status it has no step from may be a rule of
        # its own (freight is fixed once a contract is confirmed): its error.
        self.illegal = dict(illegal or {})
        for base, cls in self.errors.items():
            if not issubclass(cls, base):
                raise TypeError(f"{cls.__name__} must subclass {base.__name__}")
        _BY_MODEL[model] = self
        _BY_LOG_MODEL[log_model] = self

    # --- labels ---------------------------------------------------------------

    def status_label(self, status: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).choices)
        return str(choices.get(status, status))

    def action_label(self, action: str) -> str:
        return str(self.actions.get(action, action))

    # --- questions ------------------------------------------------------------

    def _refuse(self, kind: type[TransitionRefused], message=None, params=None):
        cls = self.errors.get(kind, kind)
        if message is None:
            message = self.messages.get(kind)
        if message is None:
            return cls()  # the app's class says it in its own default words
        text = str(message)
        return cls(text % params if params else text)

    def _steps_from(self, status: str) -> list[Transition]:
        return [t for (source, _a), t in self.table.items() if source == status]

    def available_transitions(self, obj, user) -> dict[str, Transition]:
        """The steps ``user`` may take on ``obj`` now, by action code (templates
        test ``"approve" in actions``); a reason is asked for, not checked."""
        if user is None or not user.is_authenticated:
            return {}
        steps = self._steps_from(getattr(obj, self.field))
        if not steps:
            return {}
        held = self.roles(obj, user)
        return {
            t.action: t
            for t in steps
            if held & t.roles and (t.guard is None or t.guard(obj, user) is None)
        }

    def check(self, obj, action: str, user, *, reason: str = "", source=None) -> Transition:
        """The step ``action`` from the object's status (or ``source``), or a refusal."""
        current = getattr(obj, self.field) if source is None else source
        transition = self.table.get((current, action))
        if transition is None:
            if action in self.illegal:
                raise self.illegal[action]()
            raise self._refuse(
                IllegalTransition,
                self.messages.get(
                    IllegalTransition, _("当前状态为“%(status)s”，不能“%(action)s”。")
                ),
                {"status": self.status_label(current), "action": self.action_label(action)},
            )
        if not (self.roles(obj, user) & transition.roles):
            if transition.denied is not None:
                raise transition.denied()
            raise self._refuse(TransitionNotPermitted)
        if transition.guard is not None:
            refusal = transition.guard(obj, user)
            if refusal is not None:
                raise refusal
        if transition.reason_required and not (reason or "").strip():
            raise self._refuse(ReasonRequired)
        return transition

    # --- steps ----------------------------------------------------------------

    def _log(self, obj, transition: Transition, user, from_status: str, reason: str):
        return self.log_model.objects.create(
            **{self.log_subject: obj},
            actor=user,
            action=transition.action,
            from_status=from_status,
            to_status=transition.target,
            reason=(reason or "").strip(),
        )

    def apply(self, obj, action: str, user, *, reason: str = "", update_fields=()):
        """Check, set the status, save it (with ``update_fields``) and log the step.
        Call inside the service's transaction, on the row it has locked."""
        transition = self.check(obj, action, user, reason=reason)
        from_status = getattr(obj, self.field)
        setattr(obj, self.field, transition.target)
        fields = {self.field, *update_fields}
        fields |= {f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)}
        obj.save(update_fields=sorted(fields))
        return self._log(obj, transition, user, from_status, reason)

    def start(self, obj, action: str, user, *, reason: str = ""):
        """Log the step that created ``obj`` (from ``START`` to its saved status)."""
        transition = self.check(obj, action, user, reason=reason, source=START)
        if getattr(obj, self.field) != transition.target:
            raise ValueError(
                f"{self.model.__name__} is created as {getattr(obj, self.field)!r}, "
                f"but step {action!r} creates {transition.target!r}"
            )
        return self._log(obj, transition, user, START, reason)
