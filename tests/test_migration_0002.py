"""Migration 0002 on a database that already has inquiries."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from mystery_shopper.store import migrate, open_engine


def test_upgrade_owes_no_sent_copy_for_old_inquiries(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path}/old.db", migrate_schema=False)
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO dealership (slug, name, inquiry_address, timezone) "
                "VALUES ('a', 'A', 'a@a.test', 'UTC')"
            )
        )
        conn.execute(text("INSERT INTO shopper_account (name, address) VALUES ('s', 's@s.test')"))
        for i, state in enumerate(["sent", "queued", "unknown"]):
            conn.execute(
                text(
                    "INSERT INTO inquiry (dealership_id, shopper_id, scenario, subject, "
                    "message_id, state, created_at, attempts, raw) VALUES (1, 1, 'p', 's', "
                    f"'<{i}@x>', '{state}', '2026-01-01 00:00:00', 0, x'00')"
                )
            )
    migrate(engine)
    with engine.begin() as conn:
        rows = conn.execute(
            text("SELECT state, saved_to_sent, sent_at_source, next_attempt_at FROM inquiry")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("sent", 1, "smtp", None),
        ("queued", 0, None, None),
        ("unknown", 0, None, None),
    ]
