"""Messages to citizens in AWS: e-mail with attachments through SES, SMS through SNS (moto)."""

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from chalicelib.adapters.aws.ses_notifier import SesNotifier
from chalicelib.messages import render
from chalicelib.ports import Attachment

REGION = "eu-central-1"


@pytest.fixture
def notifier():
    with mock_aws():
        ses = boto3.client("sesv2", region_name=REGION)
        ses.create_email_identity(EmailIdentity="no-reply@1555.gov.gr")
        yield SesNotifier(ses, boto3.client("sns", region_name=REGION), "no-reply@1555.gov.gr")


def test_an_email_goes_out_with_the_rendered_subject_and_its_attachment(notifier):
    message = render(
        "case_answered",
        "el",
        email="giannis@example.gr",
        reference="C-0000-00011",
        full_name="Γιάννης",
        answer="Εγκρίθηκε.",
        track_url="https://x/el/track/",
        attachments=(Attachment("rantevou.ics", "text/calendar", "BEGIN:VCALENDAR"),),
    )

    notifier.send(message)

    [sent] = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    raw = sent.raw_data
    assert "giannis@example.gr" in raw
    assert "rantevou.ics" in raw
    assert message.subject == "Απάντηση στο αίτημά σας C-0000-00011"


def test_without_an_email_the_message_goes_as_an_sms(notifier):
    message = render(
        "case_answered",
        "en",
        phone="+306912345678",
        reference="C-0000-00011",
        full_name="Giannis",
        answer="Approved.",
        track_url="https://x/en/track/",
    )

    notifier.send(message)

    [(phone, text, *_)] = sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values()
    assert phone == "+306912345678"
    assert text.startswith("Answer to your request C-0000-00011")
