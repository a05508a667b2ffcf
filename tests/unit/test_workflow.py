"""The shared transition helper on a small stand-in model (no database): the table
decides per role, guards refuse with their own error, a reason is enforced, each
step is logged, and every refusal carries a stable code."""

import pytest

from common.exceptions import DomainError
from common.workflow import (
    START,
    IllegalTransition,
    ReasonRequired,
    TransitionNotPermitted,
    Workflow,
    step,
)


class _Field:
    choices = [("draft", "草稿"), ("sent", "已发送"), ("done", "已完成"), ("returned", "已退回")]


class _Meta:
    concrete_fields = []

    def get_field(self, name):
        return _Field


class Doc:
    _meta = _Meta()

    def __init__(self, status="draft", frozen=False):
        self.status = status
        self.frozen = frozen
        self.saved_fields = None

    def save(self, *, update_fields):
        self.saved_fields = update_fields


class _Rows:
    def __init__(self):
        self.rows = []

    def create(self, **row):
        self.rows.append(row)
        return row


class DocLog:
    objects = _Rows()


class User:
    is_authenticated = True

    def __init__(self, *roles):
        self.roles = set(roles)


class Frozen(TransitionNotPermitted):
    code = "doc_frozen"


class AppIllegal(IllegalTransition):
    code = "doc_illegal"


def _not_frozen(doc, user):
    return Frozen("冻结") if doc.frozen else None


WORKFLOW = Workflow(
    model=Doc,
    field="status",
    roles=lambda doc, user: user.roles,
    log_model=DocLog,
    log_subject="doc",
    actions={"create": "新建", "send": "发送", "finish": "完成", "return": "退回"},
    transitions=[
        step(START, "create", "draft", roles={"writer"}),
        step("draft", "send", "sent", roles={"writer"}, guard=_not_frozen),
        step("sent", "finish", "done", roles={"reader", "admin"}),
        step("sent", "return", "returned", roles={"reader"}, reason_required=True),
    ],
)


@pytest.fixture(autouse=True)
def _fresh_log():
    DocLog.objects = _Rows()


@pytest.mark.parametrize(
    ("status", "roles", "actions"),
    [
        ("draft", {"writer"}, {"send"}),
        ("draft", {"reader"}, set()),
        ("sent", {"reader"}, {"finish", "return"}),
        ("sent", {"admin"}, {"finish"}),
        ("sent", {"writer"}, set()),
        ("done", {"reader", "writer", "admin"}, set()),
    ],
)
def test_available_transitions_follow_the_table_per_role(status, roles, actions):
    assert set(WORKFLOW.available_transitions(Doc(status), User(*roles))) == actions


def test_a_failing_guard_hides_the_action_and_refuses_with_its_own_error():
    doc = Doc("draft", frozen=True)
    assert WORKFLOW.available_transitions(doc, User("writer")) == {}
    with pytest.raises(Frozen) as refused:
        WORKFLOW.apply(doc, "send", User("writer"))
    assert refused.value.code == "doc_frozen"
    assert doc.status == "draft"
    assert DocLog.objects.rows == []


@pytest.mark.parametrize(
    ("status", "action", "roles", "reason", "code"),
    [
        ("draft", "finish", {"admin"}, "", "illegal_transition"),
        ("done", "send", {"writer"}, "", "illegal_transition"),
        ("draft", "nonsense", {"writer"}, "", "illegal_transition"),
        ("draft", "send", {"reader"}, "", "transition_not_permitted"),
        ("sent", "return", {"admin"}, "why", "transition_not_permitted"),
        ("sent", "return", {"reader"}, "  ", "reason_required"),
    ],
)
def test_refusals_carry_a_stable_code_and_change_nothing(status, action, roles, reason, code):
    doc = Doc(status)
    with pytest.raises(DomainError) as refused:
        WORKFLOW.apply(doc, action, User(*roles), reason=reason)
    assert refused.value.code == code
    assert doc.status == status
    assert doc.saved_fields is None
    assert DocLog.objects.rows == []


def test_an_illegal_step_names_the_current_status_and_the_action():
    with pytest.raises(IllegalTransition, match="已完成.*发送"):
        WORKFLOW.apply(Doc("done"), "send", User("writer"))


def test_apply_sets_the_status_saves_it_and_writes_one_log_row():
    doc, user = Doc("sent"), User("reader")
    WORKFLOW.apply(doc, "return", user, reason="  缺少附件 ", update_fields=["note"])
    assert doc.status == "returned"
    assert doc.saved_fields == ["note", "status"]
    assert DocLog.objects.rows == [
        {
            "doc": doc,
            "actor": user,
            "action": "return",
            "from_status": "sent",
            "to_status": "returned",
            "reason": "缺少附件",
        }
    ]


def test_start_logs_the_creating_step_from_no_status():
    doc, user = Doc("draft"), User("writer")
    WORKFLOW.start(doc, "create", user)
    assert DocLog.objects.rows[0]["from_status"] == START
    assert DocLog.objects.rows[0]["to_status"] == "draft"
    with pytest.raises(TransitionNotPermitted):
        WORKFLOW.start(Doc("draft"), "create", User("reader"))


def test_an_app_may_raise_its_own_subclass_of_a_refusal():
    app_workflow = Workflow(
        model=type("Other", (Doc,), {}),
        roles=lambda doc, user: user.roles,
        log_model=type("OtherLog", (DocLog,), {}),
        log_subject="doc",
        actions={"send": "发送"},
        transitions=[step("draft", "send", "sent", roles={"writer"})],
        errors={IllegalTransition: AppIllegal},
    )
    with pytest.raises(AppIllegal) as refused:
        app_workflow.apply(Doc("sent"), "send", User("writer"))
    assert isinstance(refused.value, IllegalTransition)
    assert refused.value.code == "doc_illegal"


def test_an_app_error_that_is_not_the_refusals_subclass_is_a_configuration_error():
    with pytest.raises(TypeError):
        Workflow(
            model=Doc,
            roles=lambda doc, user: set(),
            log_model=DocLog,
            log_subject="doc",
            actions={},
            transitions=[],
            errors={IllegalTransition: ValueError},
        )


def test_labels_come_from_the_status_choices_and_the_action_table():
    assert WORKFLOW.status_label("sent") == "已发送"
    assert WORKFLOW.action_label("return") == "退回"


def test_an_anonymous_user_has_no_actions():
    anonymous = User("writer")
    anonymous.is_authenticated = False
    assert WORKFLOW.available_transitions(Doc("draft"), anonymous) == {}


def test_a_missing_reason_is_asked_for_only_after_role_and_status_pass():
    with pytest.raises(ReasonRequired):
        WORKFLOW.apply(Doc("sent"), "return", User("reader"))
    with pytest.raises(TransitionNotPermitted):
        WORKFLOW.apply(Doc("sent"), "return", User("writer"))
