"""A release deployed while the one before still runs: its web processes and workers insert rows without the columns
this one adds, which must not fail (docs/operations.md)."""

from __future__ import annotations

import pytest
from django.db import connection

# Columns added since the previous release, NOT NULL in the model: each keeps a database default on PostgreSQL.
ADDED = {("diary_episode", "logged_from_file"), ("diary_episode", "saved_from_file"), ("triage_flag", "read_evidence")}


@pytest.mark.django_db
def test_the_columns_this_release_adds_have_a_database_default_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one process: no release before runs beside it")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, column_default FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name IN ('diary_episode', 'triage_flag')"
        )
        defaults = {(table, column): default for table, column, default in cursor.fetchall()}
    assert {key: defaults[key] for key in ADDED} == {
        ("diary_episode", "logged_from_file"): "false",
        ("diary_episode", "saved_from_file"): "false",
        ("triage_flag", "read_evidence"): "'[]'::jsonb",
    }
