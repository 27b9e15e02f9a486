"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1), and the readers
of what arrived: the parsed message, its `.ics` and its QR code decoded back."""

from __future__ import annotations

import email
import email.policy
import socket
import struct
import zlib
from email.message import EmailMessage

import icalendar
import zxingcpp
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the server received, parsed; it answers "451 try later" to the first `refuse` messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


class SMTPServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def part_of(message: EmailMessage, content_type: str) -> EmailMessage:
    [part] = [part for part in message.walk() if part.get_content_type() == content_type]
    return part


def calendar_of(message: EmailMessage) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(part_of(message, "text/calendar").get_payload(decode=True))


def decode_qr_png(data: bytes) -> list[str]:
    """The texts of the QR codes in a 1-bit grayscale PNG (segno's), read by zxing-cpp."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert (depth, color) == (1, 0), "expected a 1-bit grayscale PNG"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = (width + 7) // 8
    pixels, previous = bytearray(), bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], raw[start + 1 : start + 1 + stride]
        assert kind in (0, 2), f"unexpected PNG filter {kind}"
        if kind == 2:  # "up"
            line = bytes((a + b) & 255 for a, b in zip(line, previous, strict=True))
        previous = line
        pixels += bytes(255 if line[x // 8] >> (7 - x % 8) & 1 else 0 for x in range(width))
    image = memoryview(bytes(pixels)).cast("B", (height, width))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]
