"""Classification throughput on one core, from already-parsed messages, with baselines.

Usage:
    python benchmarks/classify_bench.py [--messages N] [--extra-dir DIR]

The messages are the labelled corpus in tests/data/replies (written by us), repeated up to N;
--extra-dir adds more .eml files (for instance a held-out set). Measured in the same run:

* parse      -- parse_mail() alone (the step before classification; not part of the figure)
* headers    -- a header-only classifier (Auto-Submitted, X-Autoreply, Precedence, subject):
                the kind of check the classifier replaces, as a floor for the cost of any rule
* classify   -- classify(mail), no context
* in context -- classify(mail, ctx) with timing, persona, vehicle and seen fingerprints
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mystery_shopper.classify import ReplyContext, classify, reply_fingerprint
from mystery_shopper.parsing import ParsedMail, parse_mail

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "replies"
_SUBJECT = re.compile(r"automatic reply|out of office|auto.?reply|undeliver", re.I)


def header_only(mail: ParsedMail) -> str:
    if mail.header("auto-submitted").lower() not in ("", "no") or mail.header("x-autoreply"):
        return "auto"
    if mail.header("precedence").lower() in ("bulk", "junk", "list", "auto_reply"):
        return "auto"
    return "auto" if _SUBJECT.search(mail.subject) else "personal"


def _rate(label: str, n: int, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<12} {n:>7} msgs  {elapsed:7.3f} s  {n / elapsed:>10,.0f} msg/s")
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--extra-dir", type=Path)
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.eml"))
    if args.extra_dir:
        files += sorted(p for p in args.extra_dir.iterdir() if p.suffix == ".eml")
    raws = [p.read_bytes() for p in files]
    raws = (raws * (args.messages // len(raws) + 1))[: args.messages]
    n = len(raws)
    print(f"{len(files)} distinct messages, {n} in the run, one core (single process)\n")
    parsed: list[ParsedMail] = []
    _rate("parse", n, lambda: parsed.extend(parse_mail(r) for r in raws))
    sent = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    base = ReplyContext(
        persona_name="Alex Jordan",
        vehicle="2025 Toyota RAV4 XLE",
        scenario="price_quote",
        sent_at=sent,
        received_at=sent + timedelta(hours=1),
    )
    seen = {fp for m in parsed[:50] if (fp := reply_fingerprint(m, base))}
    ctx = ReplyContext(
        **{
            **{f: getattr(base, f) for f in base.__dataclass_fields__},
            "same_dealer_fingerprints": frozenset(list(seen)[:5]),
        }
    )
    base_rate = _rate("headers", n, lambda: [header_only(m) for m in parsed])
    rate = _rate("classify", n, lambda: [classify(m) for m in parsed])
    ctx_rate = _rate("in context", n, lambda: [classify(m, ctx) for m in parsed])
    print(
        f"\nclassify is {base_rate / rate:.0f}x the header-only cost; "
        f"target >= 2,000 msg/s: {'met' if min(rate, ctx_rate) >= 2000 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
