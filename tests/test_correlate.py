from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mystery_shopper.correlate import InquiryIndex, InquiryRef, match_reply, normalise_subject
from mystery_shopper.parsing import parse_mail

SENT = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
REFS = [
    InquiryRef(
        1,
        10,
        "<abc.1@shopper.test>",
        "Price on the RAV4",
        frozenset({"acme.test"}),
        SENT,
        SENT + timedelta(hours=72),
    ),
    InquiryRef(
        2,
        10,
        "<abc.2@shopper.test>",
        "Price on the Civic",
        frozenset({"honda.test"}),
        SENT,
        SENT + timedelta(hours=72),
    ),
]
LATER = SENT + timedelta(minutes=5)


def mail(headers: str, body: str = "Hello") -> bytes:
    return (headers.strip() + "\r\n\r\n" + body).encode()


def test_in_reply_to_wins_over_sender_domain() -> None:
    m = parse_mail(mail("From: a@acme.test\r\nIn-Reply-To: <ABC.2@shopper.test>\r\nSubject: x"))
    match = match_reply(m, LATER, 10, REFS)
    assert match is not None and (match.inquiry_id, match.method) == (2, "message_id")


def test_references_match() -> None:
    m = parse_mail(mail("From: x@y.test\r\nReferences: <zz@q> <abc.1@shopper.test>"))
    match = match_reply(m, LATER, 10, REFS)
    assert match is not None and (match.inquiry_id, match.method) == (1, "message_id")


def test_sender_domain_and_subdomain() -> None:
    m = parse_mail(mail("From: Bob <bob@mail.honda.test>\r\nSubject: Your inquiry"))
    match = match_reply(m, LATER, 10, REFS)
    assert match is not None and (match.inquiry_id, match.method) == (2, "sender_domain")


def test_sender_domain_needs_same_shopper_and_window() -> None:
    m = parse_mail(mail("From: bob@honda.test\r\nSubject: Your inquiry"))
    assert match_reply(m, LATER, 11, REFS) is None
    assert match_reply(m, SENT + timedelta(hours=73), 10, REFS) is None
    assert match_reply(m, SENT - timedelta(minutes=1), 10, REFS) is None


def test_subject_fallback() -> None:
    m = parse_mail(mail("From: someone@gmail.test\r\nSubject: RE: AW: price on the  rav4"))
    match = match_reply(m, LATER, 10, REFS)
    assert match is not None and (match.inquiry_id, match.method) == (1, "subject")


def test_bounce_quoting_original_message_id() -> None:
    raw = mail(
        "From: MAILER-DAEMON@shopper.test\r\nSubject: Undelivered Mail",
        "Original headers:\r\nMessage-ID: <abc.1@shopper.test>\r\n",
    )
    match = match_reply(parse_mail(raw), LATER, 10, REFS, raw)
    assert match is not None and (match.inquiry_id, match.method) == (1, "quoted_message_id")


def test_unrelated() -> None:
    m = parse_mail(mail("From: news@shop.test\r\nSubject: Weekly deals"))
    assert match_reply(m, LATER, 10, REFS) is None


def test_normalise_subject() -> None:
    assert normalise_subject("Re: RE:  Fwd: Price  on the RAV4") == "price on the rav4"
    assert normalise_subject("SV: Re[2]: hi") == "hi"


def test_two_of_our_ids_referenced_the_first_inquiry_wins() -> None:
    # Same answer whether the index is built once (as process_new does) or per call.
    m = parse_mail(mail("From: x@y.test\r\nReferences: <abc.2@shopper.test> <abc.1@shopper.test>"))
    index = InquiryIndex(REFS)
    for refs in (REFS, index):
        match = match_reply(m, LATER, 10, refs)
        assert match is not None and (match.inquiry_id, match.method) == (1, "message_id")


def test_quoted_message_id_of_another_shoppers_inquiry_does_not_match() -> None:
    raw = mail(
        "From: MAILER-DAEMON@shopper.test\r\nSubject: Undelivered Mail",
        "Original headers:\r\nMessage-ID: <<ABC.1@SHOPPER.TEST>>\r\n",
    )
    assert match_reply(parse_mail(raw), LATER, 11, REFS, raw) is None
    match = match_reply(parse_mail(raw), LATER, 10, REFS, raw)
    assert match is not None and (match.inquiry_id, match.method) == (1, "quoted_message_id")
