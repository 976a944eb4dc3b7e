"""Accuracy of the classifier on a held-out set of real-world messages we did not write.

Usage:
    python benchmarks/heldout_eval.py DIR LABELS [--show-errors] [--persona NAME --vehicle CAR]

LABELS is a tab-separated file, one ``<file name>\\t<kind>`` line per message, kind one of
personal, auto, bounce. The messages themselves are third-party mail and are never committed;
see benchmarks/README.md for where the set came from.

Prints accuracy, the confusion matrix, missed bounces, and both error directions separately:
an automatic reply called personal credits a dealer falsely; a person called automatic accuses
one falsely.

``--persona`` and ``--vehicle`` classify every message as the answer to an inquiry by that buyer
about that car, as the watch loop does: for texts whose envelope and filled-in names are the
same for every message (see benchmarks/README.md, batch T). Without them, no inquiry is known.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from mystery_shopper.classify import KINDS, ReplyContext, classify
from mystery_shopper.parsing import parse_mail


def _labels(path: Path) -> list[tuple[str, str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, kind = line.partition("\t")
        if kind not in KINDS:
            sys.exit(f"error: {path}:{n}: kind {kind!r} is not one of {', '.join(KINDS)}")
        rows.append((name, kind))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("labels", type=Path)
    parser.add_argument("--show-errors", action="store_true", help="list each misclassified file")
    parser.add_argument("--persona", default="", help="the buyer's name on the inquiry")
    parser.add_argument("--vehicle", default="", help="the car the inquiry asked about")
    args = parser.parse_args()
    context = ReplyContext(persona_name=args.persona, vehicle=args.vehicle)
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for name, truth in _labels(args.labels):
        try:
            raw = (args.directory / name).read_bytes()
        except OSError as exc:
            sys.exit(f"error: {args.directory / name}: cannot read: {exc.strerror or exc}")
        verdict = classify(parse_mail(raw), context)
        confusion[(truth, verdict.kind)] += 1
        if verdict.kind != truth:
            errors.append((name, truth, verdict.kind, "; ".join(verdict.reasons)))
    total = sum(confusion.values())
    right = sum(n for (t, p), n in confusion.items() if t == p)
    print(f"messages: {total}   correct kind: {right}   accuracy: {right / total:.1%}")
    print("\nconfusion (rows: true kind, columns: predicted)")
    print(f"{'':>10}" + "".join(f"{k:>10}" for k in KINDS))
    for t in KINDS:
        print(f"{t:>10}" + "".join(f"{confusion[(t, p)]:>10}" for p in KINDS))
    bounces = sum(n for (t, _), n in confusion.items() if t == "bounce")
    missed = bounces - confusion[("bounce", "bounce")]
    print(f"\nmissed bounces: {missed} of {bounces}")
    autos = sum(n for (t, _), n in confusion.items() if t == "auto")
    persons = sum(n for (t, _), n in confusion.items() if t == "personal")
    a2p, p2a = confusion[("auto", "personal")], confusion[("personal", "auto")]
    print(f"auto called personal (credits a dealer falsely): {a2p} of {autos}")
    print(f"personal called auto (accuses a dealer falsely): {p2a} of {persons}")
    # A person's reply taken for a bounce also hides a reply: reported on its own.
    p2b = confusion[("personal", "bounce")]
    print(f"personal called bounce (a reply taken for a delivery failure): {p2b} of {persons}")
    if args.show_errors:
        for name, truth, got, why in errors:
            print(f"\n{name}: true {truth}, got {got}\n  {why[:300]}")


if __name__ == "__main__":
    main()
