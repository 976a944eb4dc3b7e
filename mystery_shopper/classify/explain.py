"""A verdict for a person (``classify --explain``: every rule that fired, in order) or for a
machine (``classify --json``)."""

from __future__ import annotations

from typing import Any

from . import Verdict

__all__ = ("as_dict", "explain")


def _printable(line: str) -> str:
    # Reasons quote what strangers wrote (addresses, subjects): no terminal control codes.
    return "".join(c if c.isprintable() or c == "\t" else f"\\x{ord(c):02x}" for c in line)


def explain(verdict: Verdict) -> str:
    sub = f"/{verdict.subkind}" if verdict.subkind else ""
    lines = [f"verdict: {verdict.kind}{sub} (confidence {verdict.confidence:.2f})"]
    if verdict.failed_recipient:
        lines.append(f"failed recipient: {verdict.failed_recipient}")
    lines.append("rules that fired, in order (* decided the verdict):")
    for f in verdict.findings:
        mark = "*" if f.rule == verdict.decided_by else " "
        role = "decisive" if f.decisive else "evidence"
        lines.append(f" {mark} {f.rule} [{f.kind}, {role}]: {f.reason}")
    if not verdict.findings:
        lines.append("   (none: nothing automatic or personal was found; personal by default)")
    if verdict.quality is not None:
        q = verdict.quality
        lines.append(f"quality: {q.score}/100 (rubric version {q.version})")
        for c in q.checks:
            lines.append(f"   [{'x' if c.passed else ' '}] {c.name}: {c.evidence}")
    return "\n".join(map(_printable, lines))


def as_dict(verdict: Verdict) -> dict[str, Any]:
    """The verdict's figures and reasons as JSON-ready data (the ``--json`` contract)."""
    return {
        "kind": verdict.kind,
        "subkind": verdict.subkind,
        "reasons": list(verdict.reasons),
        "confidence": verdict.confidence,
        "decided_by": verdict.decided_by,
        "failed_recipient": verdict.failed_recipient,
        "quality": verdict.quality.as_dict() if verdict.quality else None,
    }
