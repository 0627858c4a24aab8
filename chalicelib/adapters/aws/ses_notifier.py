"""Messages to citizens in AWS: e-mail through SES (with attachments), SMS through SNS."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from chalicelib.ports import Message

SMS_LIMIT = 640  # four concatenated SMS parts in Greek (UCS-2)


@dataclass(frozen=True)
class SesNotifier:
    """Sends through the SES v2 and SNS clients, from ``sender`` (an identity SES verified)."""

    ses: Any
    sns: Any
    sender: str

    def send(self, message: Message) -> None:
        if message.email:
            mail = EmailMessage()
            mail["From"] = self.sender
            mail["To"] = message.email
            mail["Subject"] = message.subject
            mail.set_content(message.body)
            for attachment in message.attachments:
                maintype, subtype = attachment.content_type.split("/", 1)
                mail.add_attachment(
                    attachment.content.encode(),
                    maintype=maintype,
                    subtype=subtype,
                    filename=attachment.filename,
                )
            self.ses.send_email(Content={"Raw": {"Data": mail.as_bytes()}})
        elif message.phone:
            self.sns.publish(
                PhoneNumber=message.phone, Message=f"{message.subject}\n{message.body}"[:SMS_LIMIT]
            )
