"""Reply matching against many inquiries: the index built once per run versus a scan.

Usage:
    python benchmarks/match_bench.py [--inquiries 50000] [--messages 2000]

A dealer group keeps every inquiry it ever sent, and a reply can cite any of them by
Message-ID. Baseline in the same run: the scan the matcher used before (each inquiry's
Message-ID looked for in the references, then searched for in the raw bytes).
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import UTC, datetime, timedelta

from mystery_shopper.correlate import InquiryIndex, InquiryRef, match_reply
from mystery_shopper.parsing import parse_mail


def _refs(n: int, shoppers: int) -> list[InquiryRef]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        InquiryRef(
            id=i,
            shopper_id=i % shoppers,
            message_id=f"<{uuid.UUID(int=i)}@shopper.test>",
            subject=f"Question about stock {i}",
            domains=frozenset({f"dealer{i % 500}.test"}),
            sent_at=start + timedelta(hours=i),
            window_end=start + timedelta(hours=i + 72),
        )
        for i in range(n)
    ]


def _messages(refs: list[InquiryRef], count: int) -> list[tuple[bytes, InquiryRef]]:
    out = []
    for k in range(count):
        ref = refs[(k * 7919) % len(refs)]
        if k % 2:  # a reply that cites us in References
            head = f"From: s@dealer.test\r\nReferences: {ref.message_id}\r\nSubject: Re: x\r\n"
            body = "Thanks for asking.\r\n" * 20
        else:  # a bounce that only quotes our Message-ID in the returned headers
            head = "From: MAILER-DAEMON@mx.test\r\nSubject: Undelivered Mail\r\n"
            body = "Delivery failed.\r\n" * 20 + f"Message-ID: {ref.message_id}\r\n"
        out.append(((head + "\r\n" + body).encode(), ref))
    return out


def _scan(mail_refs: set[str], raw: bytes, shopper: int, refs: list[InquiryRef]) -> int | None:
    for inq in refs:
        if inq.message_id.lower() in mail_refs:
            return inq.id
    lowered = raw.lower()
    for inq in refs:
        if inq.shopper_id == shopper and inq.message_id.lower().encode() in lowered:
            return inq.id
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inquiries", type=int, default=50_000)
    parser.add_argument("--messages", type=int, default=2_000)
    args = parser.parse_args()
    refs = _refs(args.inquiries, shoppers=20)
    parsed = [(parse_mail(raw), raw, ref) for raw, ref in _messages(refs, args.messages)]
    at = datetime(2030, 1, 1, tzinfo=UTC)

    t0 = time.perf_counter()
    for mail, raw, ref in parsed:
        found = _scan(set(mail.in_reply_to) | set(mail.references), raw, ref.shopper_id, refs)
        assert found == ref.id
    scan = time.perf_counter() - t0

    t0 = time.perf_counter()
    index = InquiryIndex(refs)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for mail, raw, ref in parsed:
        match = match_reply(mail, at, ref.shopper_id, index, raw)
        assert match is not None and match.inquiry_id == ref.id
    indexed = time.perf_counter() - t0

    n = len(parsed)
    print(f"{args.inquiries} inquiries, {n} messages (half cited in References, half quoted)")
    print(f"baseline scan: {n / scan:,.0f} msg/s")
    print(f"index:         {n / indexed:,.0f} msg/s (index built once in {build * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
