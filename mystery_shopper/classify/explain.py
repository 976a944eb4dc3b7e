"""A verdict in words, for a person (``classify --explain``): every rule that fired, in order."""

from __future__ import annotations

from . import Verdict

__all__ = ("explain",)


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
    return "\n".join(lines)
