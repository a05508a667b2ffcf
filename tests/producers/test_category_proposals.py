"""Category proposals (类目申请): a producer asks for a missing category,
staff allowed to manage categories accept (it is usable at once) or reject."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.importers import COLUMNS, CatalogueImporter
from producers import services
from producers.exceptions import CategoryProposalError
from producers.models import CategoryProposal
from tests.factories import CategoryFactory, StaffUserFactory, UserFactory, producer_with_user

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return producer_with_user()


@pytest.fixture
def dried():
    """干货 > 木耳."""
    root = CategoryFactory(name="干货")
    root.add_child(name="木耳")
    return Category.objects.get(pk=root.pk)


@pytest.fixture
def category_staff():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_category"))
    return user


def propose(seller, name="香菇", parent=None):
    producer, user = seller
    return services.category_propose(
        producer=producer, actor=user, name=name, parent=parent, reason="我社主营香菇。"
    )


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(CategoryProposalError) as excinfo:
        call(*args, **kwargs)
    return excinfo.value.code


# --- Services ----------------------------------------------------------------------


def test_a_proposal_waits_for_staff(seller, dried):
    proposal = propose(seller, "香菇", dried)
    assert (proposal.status, proposal.parent, proposal.name) == ("pending", dried, "香菇")


def test_an_existing_category_name_is_refused_naming_it(seller, dried):
    with pytest.raises(CategoryProposalError) as excinfo:
        propose(seller, "木耳")
    assert excinfo.value.code == "category_proposal_name_exists"
    assert "干货 > 木耳" in str(excinfo.value)
    assert not CategoryProposal.objects.exists()


def test_a_second_pending_proposal_of_the_same_name_is_refused(seller, dried):
    propose(seller, "香菇")
    other = producer_with_user()
    assert code_of(propose, other, "香菇") == "category_proposal_duplicate_pending"
    assert CategoryProposal.objects.count() == 1


def test_names_that_cannot_be_categories_are_refused(seller):
    for bad in ("", "   ", "干货 > 香菇", "菇" * 65):
        assert code_of(propose, seller, bad) == "category_proposal_name_invalid"


def test_accepting_creates_the_category_under_the_chosen_parent_and_tells_the_producer(
    seller, dried, category_staff, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = propose(seller, "香菇")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.category_proposal_accept(
            proposal=proposal, actor=category_staff, parent=dried, note="已建立"
        )
    assert proposal.status == "accepted" and proposal.decided_by == category_staff
    assert proposal.category.full_name == "干货 > 香菇"
    (mail,) = mailoutbox
    assert mail.to == [seller[1].email]
    assert reverse("producers:workspace-categories", args=[seller[0].pk]) in mail.body
    # Decided once.
    assert (
        code_of(
            services.category_proposal_reject, proposal=proposal, actor=category_staff, note="x"
        )
        == "category_proposal_not_pending"
    )


def test_rejecting_needs_a_note_and_tells_the_producer(
    seller, category_staff, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = propose(seller, "香菇")
    assert (
        code_of(
            services.category_proposal_reject, proposal=proposal, actor=category_staff, note=" "
        )
        == "category_proposal_note_required"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.category_proposal_reject(
            proposal=proposal, actor=category_staff, note="请用“菌菇”"
        )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.note) == ("rejected", "请用“菌菇”")
    assert "请用“菌菇”" in mailoutbox[0].body and "/workspace/" in mailoutbox[0].body
    assert not Category.objects.filter(name="香菇").exists()
    # The same name may be proposed again once the first was decided.
    propose(seller, "香菇")


def test_only_staff_with_the_category_permission_decide(seller):
    proposal = propose(seller, "香菇")
    for user in (seller[1], UserFactory(is_staff=True)):
        assert (
            code_of(services.category_proposal_accept, proposal=proposal, actor=user)
            == "category_proposal_staff_only"
        )
    assert not Category.objects.filter(name="香菇").exists()


def test_an_accepted_category_is_usable_in_the_next_catalogue_import(seller, dried, category_staff):
    producer, user = seller
    services.category_proposal_accept(
        proposal=propose(seller, "香菇"), actor=category_staff, parent=dried
    )
    values = {
        "sku": "XG-1", "title": "柞水香菇 500g", "category": "干货 > 香菇",
        "description": "椴木栽培，自然晾晒。", "origin": producer.county.code,
        "net_content": "500g", "spec": "袋装", "shelf_life": "12个月", "storage": "阴凉干燥处",
        "price": "29.90", "stock": "10",
    }  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    writer.writerow([values.get(c.key, "") for c in COLUMNS])
    upload = SimpleUploadedFile("x.csv", buffer.getvalue().encode("utf-8-sig"))

    result = CatalogueImporter(producer=producer, actor=user).import_file(upload)

    assert result.created == 1
    assert (
        get_model("catalogue", "Product").objects.get(producer=producer).categories.get().name
        == "香菇"
    )


# --- Pages and who may use them -----------------------------------------------------


def test_producer_proposes_on_its_page_and_sees_did_you_mean(client, seller, dried):
    producer, user = seller
    client.force_login(user)
    url = reverse("producers:workspace-categories", args=[producer.pk])
    response = client.post(url, {"name": "香菇", "parent": dried.pk, "reason": "主营"})
    assert response.status_code == 302
    assert CategoryProposal.objects.get().producer == producer

    response = client.post(url, {"name": "木耳", "parent": "", "reason": "主营"})
    assert response.status_code == 200
    assert "干货 &gt; 木耳" in response.content.decode()
    assert CategoryProposal.objects.count() == 1

    response = client.get(url)
    assert "香菇" in response.content.decode()


def test_the_import_page_links_to_the_proposal_page(client, seller):
    producer, user = seller
    client.force_login(user)
    response = client.get(reverse("producers:workspace-catalogue-import", args=[producer.pk]))
    assert (
        reverse("producers:workspace-categories", args=[producer.pk]) in response.content.decode()
    )


def test_another_producers_page_is_a_404_and_anonymous_logs_in(client, seller):
    producer, _user = seller
    url = reverse("producers:workspace-categories", args=[producer.pk])
    assert client.get(url).status_code == 302
    client.force_login(producer_with_user()[1])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "香菇", "reason": "x"}).status_code == 404
    assert not CategoryProposal.objects.exists()


def test_staff_page_access_matrix(client, seller, category_staff):
    propose(seller, "香菇")
    url = reverse("producers:category-proposals-review")
    assert client.get(url).status_code == 302  # anonymous: log in
    for user in (seller[1], UserFactory(is_staff=True)):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(StaffUserFactory())  # a superuser holds every permission
    assert client.get(url).status_code == 200
    client.force_login(category_staff)
    assert "香菇" in client.get(url).content.decode()


def test_staff_accept_and_reject_on_the_page(client, seller, dried, category_staff):
    first, second = propose(seller, "香菇"), propose(seller, "蘑菇")
    client.force_login(category_staff)
    url = reverse("producers:category-proposals-review")
    response = client.post(url, {"proposal": first.pk, "action": "accept", "parent": dried.pk})
    assert response.status_code == 302
    assert Category.objects.get(name="香菇").get_parent() == dried
    client.post(url, {"proposal": second.pk, "action": "reject", "note": ""})
    second.refresh_from_db()
    assert second.status == "pending"  # a rejection needs its reason
    client.post(url, {"proposal": second.pk, "action": "reject", "note": "与香菇重复"})
    second.refresh_from_db()
    assert second.status == "rejected"
    assert client.post(url, {"proposal": "x1", "action": "accept"}).status_code == 404
