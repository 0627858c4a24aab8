"""Messages to citizens in AWS: e-mail with attachments through SES, SMS through SNS (moto).

Each test reads what moto's SES or SNS actually received, as a mail client or a phone would."""

from email import message_from_string, policy
from email.message import EmailMessage

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from support import PHONE

from chalicelib.adapters.aws.ses_notifier import SesNotifier
from chalicelib.messages import render
from chalicelib.ports import Attachment, Message

REGION = "eu-central-1"
SENDER = "no-reply@1555.gov.gr"


@pytest.fixture
def notifier():
    with mock_aws():
        ses = boto3.client("sesv2", region_name=REGION)
        ses.create_email_identity(EmailIdentity=SENDER)
        yield SesNotifier(ses, boto3.client("sns", region_name=REGION), SENDER)


def emails_sent() -> list[tuple[str, list[str], EmailMessage]]:
    """(envelope sender, envelope recipients, the mail as its reader parses it) per e-mail."""
    return [
        (sent.source, sent.destinations, message_from_string(sent.raw_data, policy=policy.default))
        for sent in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    ]


def sms_sent() -> list[tuple[str, str]]:
    published = sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values()
    return [(phone, text) for phone, text, *_ in published]


def answered(language: str, **contact) -> Message:
    return render(
        "case_answered",
        language,
        reference="C-0000-00011",
        full_name="Γιάννης" if language == "el" else "Giannis",
        answer="Εγκρίθηκε." if language == "el" else "Approved.",
        track_url=f"https://x/{language}/track/",
        **contact,
    )


def test_an_email_reaches_the_citizen_with_the_greek_subject_the_answer_and_the_calendar_file(
    notifier,
):
    invite = Attachment("rantevou.ics", "text/calendar", "BEGIN:VCALENDAR")

    notifier.send(answered("el", email="giannis@example.gr", attachments=(invite,)))

    [(source, recipients, mail)] = emails_sent()
    assert source == SENDER and recipients == ["giannis@example.gr"]
    assert mail["From"] == SENDER and mail["To"] == "giannis@example.gr"
    assert mail["Subject"] == "Απάντηση στο αίτημά σας C-0000-00011"
    text = mail.get_body(("plain",)).get_content()
    assert text.startswith("Αγαπητέ/ή Γιάννης,")
    assert "Το αίτημά σας C-0000-00011 απαντήθηκε:\n\nΕγκρίθηκε." in text
    assert "https://x/el/track/" in text
    [calendar] = mail.iter_attachments()
    assert calendar.get_filename() == "rantevou.ics"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_content() == "BEGIN:VCALENDAR"
    assert sms_sent() == []


def test_a_citizen_with_an_email_and_a_phone_gets_one_plain_text_email_and_no_sms(notifier):
    notifier.send(answered("en", email="giannis@example.gr", phone=PHONE))

    [(_, recipients, mail)] = emails_sent()
    assert recipients == ["giannis@example.gr"]
    assert mail["Subject"] == "Answer to your request C-0000-00011"
    assert mail.get_content_type() == "text/plain"
    assert "Approved." in mail.get_content()
    assert sms_sent() == []


def test_without_an_email_the_message_goes_as_an_sms_of_subject_then_body(notifier):
    notifier.send(answered("en", phone=PHONE))

    [(phone, text)] = sms_sent()
    assert phone == PHONE
    assert text.startswith("Answer to your request C-0000-00011\nDear Giannis,\n")
    assert "Approved." in text and text.endswith("https://x/en/track/\n")
    assert emails_sent() == []


def test_a_long_sms_is_cut_to_four_greek_parts(notifier):
    notifier.send(
        render(
            "case_answered",
            "el",
            phone=PHONE,
            reference="C-0000-00011",
            full_name="Γιάννης",
            answer="Εγκρίθηκε. " * 100,
            track_url="https://x/el/track/",
        )
    )

    [(_, text)] = sms_sent()
    assert len(text) == 640
    assert text.startswith("Απάντηση στο αίτημά σας C-0000-00011\n")
