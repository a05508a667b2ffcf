"""One-time SMS codes: kept only as a keyed hash, expiring, dead after too many
wrong tries, used once, and sent within limits per number and per address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.exceptions import DomainError
from customer.models import SmsCode, SmsCodePurpose
from customer.services import sms_code_consume, sms_code_send

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
LOGIN = SmsCodePurpose.LOGIN


def send(phone=PHONE, purpose=LOGIN, client_ip="203.0.113.5"):
    return sms_code_send(phone=phone, purpose=purpose, client_ip=client_ip)


def refused_code(call) -> str:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value.code


def consume(code, phone=PHONE, purpose=LOGIN):
    return sms_code_consume(phone=phone, purpose=purpose, code=code)


def test_the_code_is_sent_and_only_its_keyed_hash_is_stored(last_code, sms_outbox):
    row = send()
    code = last_code()
    assert sms_outbox[0].phone == PHONE
    assert sms_outbox[0].template_params == {"code": code}
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    assert row.expires_at - row.created_at == timedelta(minutes=5)


def test_the_right_code_is_accepted_once(last_code):
    send()
    code = last_code()
    consume(code)
    assert SmsCode.objects.get().used_at is not None
    assert refused_code(lambda: consume(code)) == "sms_code_used"


def test_an_expired_code_is_refused(last_code):
    send()
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert refused_code(lambda: consume(last_code())) == "sms_code_expired"


def test_five_wrong_tries_kill_the_code(last_code):
    send()
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    codes = [refused_code(lambda: consume(wrong)) for _ in range(5)]
    assert codes == ["sms_code_wrong"] * 4 + ["sms_code_exhausted"]
    assert SmsCode.objects.get().attempts == 5
    assert refused_code(lambda: consume(code)) == "sms_code_exhausted"


def test_a_code_counts_only_for_its_number_and_purpose(last_code):
    send()
    code = last_code()
    assert refused_code(lambda: consume(code, phone="13900139000")) == "sms_code_not_sent"
    assert refused_code(lambda: consume(code, purpose=SmsCodePurpose.SIGNUP)) == "sms_code_not_sent"
    consume(code)


def test_only_the_newest_code_counts(last_code):
    send()
    first = last_code()
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    send()
    second = last_code()
    if first != second:
        assert refused_code(lambda: consume(first)) == "sms_code_wrong"
    consume(second)


def test_a_number_gets_one_code_a_minute():
    send()
    assert refused_code(send) == "sms_resend_too_soon"
    SmsCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    send()


def test_a_number_gets_at_most_ten_codes_a_day(settings):
    start = timezone.now() - timedelta(hours=20)
    SmsCode.objects.bulk_create(
        SmsCode(
            phone=PHONE,
            purpose=LOGIN,
            code_hash="x",
            created_at=start + timedelta(minutes=n),
            expires_at=start + timedelta(minutes=n + 5),
        )
        for n in range(10)
    )
    assert refused_code(send) == "sms_daily_limit"
    assert SmsCode.objects.count() == 10
    SmsCode.objects.update(created_at=timezone.now() - timedelta(hours=25))
    send()


def test_one_client_address_gets_a_limited_number_of_codes(settings):
    settings.SMS_CODES_PER_IP_PER_HOUR = 3
    for n in range(3):
        send(phone=f"1380013800{n}")
    assert refused_code(lambda: send(phone="13800138009")) == "sms_client_limit"
    send(phone="13800138009", client_ip="198.51.100.7")


def test_a_message_the_provider_refuses_is_not_counted(settings):
    settings.SMS_BACKEND = "tests.support.sms.FailingSmsBackend"
    assert refused_code(send) == "sms_not_sent"
    assert not SmsCode.objects.exists()
