from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mystery_shopper.classify import classify
from mystery_shopper.classify.explain import explain
from mystery_shopper.cli import cli
from mystery_shopper.parsing import parse_mail


def msg(headers: str, body: str = "Hi Alex,\r\nThe RAV4 is $31,200 out the door.\r\nSam") -> bytes:
    return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body).encode()


DSN = msg(
    """
From: Mail Delivery System <MAILER-DAEMON@mx.shopper.test>
To: alex@shopper.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"
""",
    "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
    "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mx.shopper.test\r\n\r\n"
    "Final-Recipient: rfc822; sales@acme.test\r\nAction: {action}\r\nStatus: {status}\r\n"
    "--b1--\r\n",
)

CASES = [
    pytest.param(
        msg("From: Sam Lee <sam@acme.test>\nSubject: Re: Price on the RAV4"),
        "personal",
        None,
        id="plain-personal",
    ),
    pytest.param(
        msg("From: sales@acme.test\nSubject: Thanks\nAuto-Submitted: auto-replied"),
        "auto",
        "autoresponder",
        id="auto-submitted",
    ),
    pytest.param(
        msg("From: sales@acme.test\nSubject: Thanks\nAuto-Submitted: no"),
        "personal",
        None,
        id="auto-submitted-no",
    ),
    pytest.param(
        msg("From: sales@acme.test\nSubject: Thanks\nX-Autoreply: yes"),
        "auto",
        "autoresponder",
        id="x-autoreply",
    ),
    pytest.param(
        msg("From: sales@acme.test\nSubject: Automatic reply: Out of Office"),
        "auto",
        "out_of_office",
        id="outlook-ooo-subject",
    ),
    pytest.param(
        msg("From: verkauf@autohaus.test\nSubject: Abwesenheitsnotiz: Ihre Anfrage"),
        "auto",
        "out_of_office",
        id="german-ooo",
    ),
    pytest.param(
        msg("From: news@acme.test\nSubject: Deals\nPrecedence: bulk"),
        "auto",
        "notification",
        id="precedence-bulk",
    ),
    pytest.param(
        DSN.replace(b"{action}", b"failed").replace(b"{status}", b"5.1.1"),
        "bounce",
        "hard",
        id="dsn-hard",
    ),
    pytest.param(
        DSN.replace(b"{action}", b"delayed").replace(b"{status}", b"4.4.1"),
        "bounce",
        "soft",
        id="dsn-delayed",
    ),
    pytest.param(
        msg("From: x@y.test\nSubject: failed\nX-Failed-Recipients: sales@acme.test"),
        "bounce",
        "hard",
        id="x-failed-recipients",
    ),
]


@pytest.mark.parametrize(("raw", "kind", "subkind"), CASES)
def test_classify(raw: bytes, kind: str, subkind: str | None) -> None:
    verdict = classify(parse_mail(raw))
    assert (verdict.kind, verdict.subkind) == (kind, subkind)
    assert verdict.reasons


def test_malformed_mail_never_raises() -> None:
    for raw in (b"", b"\x00\xff\xfe", b"Subject: =?bogus?Q?x?=\r\n\r\n", b"From: <<<@@@>>>\r\n"):
        verdict = classify(parse_mail(raw))
        assert verdict.kind in ("personal", "auto", "bounce")


def test_classify_command_json(tmp_path: Path) -> None:
    auto = tmp_path / "auto.eml"
    auto.write_bytes(CASES[1].values[0])  # type: ignore[arg-type]
    bounce = tmp_path / "bounce.eml"
    bounce.write_bytes(CASES[7].values[0])  # type: ignore[arg-type]
    result = CliRunner().invoke(cli, ["classify", "--json", str(auto), str(bounce)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["path"], r["kind"], r["subkind"]) for r in lines] == [
        (str(auto), "auto", "autoresponder"),
        (str(bounce), "bounce", "hard"),
    ]
    assert all(isinstance(r["reasons"], list) and r["reasons"] for r in lines)


def test_classify_command_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["classify", str(tmp_path / "nope.eml")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'nope.eml'}: cannot read")


CORPUS = Path(__file__).parent / "data" / "replies"


def test_classify_command_explain_shows_every_rule_and_the_rubric() -> None:
    auto = CORPUS / "auto-out_of_office--en--outlook.eml"
    person = CORPUS / "personal--en--full-answer.eml"
    result = CliRunner().invoke(
        cli,
        [
            "classify",
            "--explain",
            "--persona",
            "Alex Jordan",
            "--vehicle",
            "Toyota RAV4",
            str(auto),
            str(person),
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "verdict: auto/out_of_office" in out
    assert " * suppress [auto, decisive]: X-Auto-Response-Suppress: All" in out
    assert "auto_subject [auto, decisive]" in out and "ooo_body [auto, decisive]" in out
    assert "verdict: personal" in out and "quality: 100/100 (rubric version 1)" in out
    assert "[x] buyer_name: uses 'Alex Jordan'" in out or "[x] buyer_name: uses 'Alex'" in out


def test_explain_never_prints_control_codes_a_stranger_wrote() -> None:
    raw = (
        b"From: \x1b[2J <noreply\x1b]0;x\x07@acme.test>\r\nReturn-Path: <no-reply\x1b[31m@x.test>"
        b"\r\nSubject: Out of Office \x1b[5m\r\n\r\nI am out of the office until Monday.\r\n"
    )
    # Tested on explain() itself: click strips ANSI codes only when not writing to a terminal.
    text = explain(classify(parse_mail(raw)))
    assert text.startswith("verdict: auto")
    assert not any(ord(c) < 32 and c not in "\n\t" for c in text), text


def test_classify_command_json_carries_confidence_and_recipient() -> None:
    bounce = CORPUS / "bounce-hard--en--postfix-dsn.eml"
    result = CliRunner().invoke(cli, ["classify", "--json", str(bounce)])
    row = json.loads(result.stdout)
    assert (row["kind"], row["subkind"], row["failed_recipient"]) == (
        "bounce",
        "hard",
        "sales@closed-dealer.test",
    )
    assert 0.5 <= row["confidence"] <= 0.99 and row["quality"] is None
