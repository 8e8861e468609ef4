"""Statements on the hot path written once per process, instead of compiled by the ORM on every request.

The API's token check and the save of an episode run on every request that writes the diary, and compiling
their statements cost Django's ORM more CPU than running them (the token's SELECT with its two joins: about
0.6 ms to compile against 0.17 ms to run on PostgreSQL; docs/benchmarks.md#load). Here the SQL is written once
from the models' own metadata (tables, columns, the database's quoting), and every value still passes through
the fields' own conversions, both ways: `get_db_prep_save` into the database, the backend's and the field's
converters out of it. A column added to a model is in these statements without a change here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.fields import NOT_PROVIDED

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


def connection() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]


def fetch(db: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows a statement answers (a SELECT, or a write with RETURNING)."""
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


class Columns(Generic[M]):
    """Every concrete column of a model under a table alias, for a SELECT of whole rows; `instance` turns the
    values read back into a model instance as the ORM would (`Model.from_db`, after the same converters)."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model, self.alias = model, alias
        self.fields: Sequence[Field[Any, Any]] = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}
        self._sql: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self, db: BaseDatabaseWrapper) -> str:
        if db.vendor not in self._sql:
            quote = db.ops.quote_name
            self._sql[db.vendor] = ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)
        return self._sql[db.vendor]

    def converters(self, db: BaseDatabaseWrapper) -> list[tuple[int, list[Converter], Any]]:
        """What `SQLCompiler.get_converters` finds for these columns: (position, converters, column)."""
        if db.vendor not in self._converters:
            found = []
            for position, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                functions = db.ops.get_db_converters(column) + field.get_db_converters(db)  # type: ignore[attr-defined]
                if functions:
                    found.append((position, functions, column))
            self._converters[db.vendor] = found
        return self._converters[db.vendor]

    def instance(self, values: Sequence[Any], db: BaseDatabaseWrapper) -> M:
        row = list(values)
        for position, functions, column in self.converters(db):
            for function in functions:
                row[position] = function(row[position], column, db)
        return self.model.from_db(DEFAULT_DB_ALIAS, self.names, row)


class Insert(Generic[M]):
    """`INSERT` of whole rows of a model, the SQL written once per number of rows.

    Every concrete column but an id the database numbers is written, each value as the ORM writes it: the field's
    `pre_save` (so `auto_now` stamps the instance) then its `get_db_prep_save`. The conflict clauses read the same
    on PostgreSQL and SQLite: `ignore_conflicts` skips a row whose key exists (`run` counts the rows that went in);
    `update_conflicts=(unique, update)` writes the `update` fields over the row with the same `unique` fields. Ids
    the database numbers are read back (`RETURNING`, in the order the rows were given, as Django's `bulk_create`
    reads them) onto the instances, unless a conflict clause is given: with one, the instances are not marked as
    saved, since which rows went in (and their ids) is not known.
    """

    def __init__(
        self,
        model: type[M],
        *,
        ignore_conflicts: bool = False,
        update_conflicts: tuple[Sequence[str], Sequence[str]] | None = None,
    ) -> None:
        self.model = model
        meta = model._meta
        self.numbered = meta.auto_field  # the id the database numbers, if the model has one
        # A generated column is the database's to compute; a database default would need DEFAULT in the VALUES.
        self.fields = [f for f in meta.concrete_fields if f is not self.numbered and not getattr(f, "generated", False)]
        if defaulted := [f.name for f in self.fields if f.db_default is not NOT_PROVIDED]:
            raise ImproperlyConfigured(f"Insert({model.__name__}) does not write database defaults: {defaulted}.")
        self.ignore_conflicts, self.update_conflicts = ignore_conflicts, update_conflicts
        # Numbered ids are read back only without a conflict clause: with one, which rows went in is not known.
        self.returning = self.numbered is not None and not (ignore_conflicts or update_conflicts)
        self._sql: dict[tuple[str, int, str], str] = {}

    def _conflict(self, db: BaseDatabaseWrapper) -> str:
        quote = db.ops.quote_name
        if self.ignore_conflicts:
            return " ON CONFLICT DO NOTHING"
        if self.update_conflicts:
            column_of = {field.name: field.column for field in self.model._meta.concrete_fields}
            unique, update = ([quote(column_of[name]) for name in names] for names in self.update_conflicts)
            updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in update)
            return f" ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {updates}"
        if self.returning:
            assert self.numbered is not None
            return f" RETURNING {quote(self.numbered.column)}"
        return ""

    def sql(self, db: BaseDatabaseWrapper, rows: int, each_row_of: str = "") -> str:
        if (db.vendor, rows, each_row_of) not in self._sql:
            quote = db.ops.quote_name
            columns = ", ".join(quote(field.column) for field in self.fields)
            placeholders = ", ".join(["%s"] * len(self.fields))
            if each_row_of:  # one row's values, written once for each row of that relation (none: nothing written)
                assert rows == 1
                values = f"SELECT {placeholders} FROM {each_row_of}"  # noqa: S608 - a name the caller wrote
            else:
                values = "VALUES " + ", ".join([f"({placeholders})"] * rows)
            table, conflict = quote(self.model._meta.db_table), self._conflict(db)
            # Names from the model's metadata, quoted by the database's rules; every value is a parameter.
            self._sql[db.vendor, rows, each_row_of] = f"INSERT INTO {table} ({columns}) {values}{conflict}"  # noqa: S608
        return self._sql[db.vendor, rows, each_row_of]

    def statement(self, db: BaseDatabaseWrapper, objs: Sequence[M], each_row_of: str = "") -> tuple[str, list[Any]]:
        """The SQL and its parameters, the instances stamped (`auto_now`); for `run`, or inside a larger statement.
        `each_row_of`: a relation the statement can read (a `WITH` clause's name); the one row is written only if
        that relation has a row."""
        params = [field.get_db_prep_save(field.pre_save(obj, True), db) for obj in objs for field in self.fields]
        return self.sql(db, len(objs), each_row_of), params

    def run(self, objs: Sequence[M]) -> int:
        """Insert the instances; returns how many rows went in (or were updated, with `update_conflicts`)."""
        if not objs:
            return 0
        db = connection()
        with db.cursor() as cursor:
            cursor.execute(*self.statement(db, objs))
            if self.returning:  # SQLite knows the count of an INSERT … RETURNING only once its rows are read
                assert self.numbered is not None
                numbers = cursor.fetchall()
                for obj, (number,) in zip(objs, numbers, strict=True):
                    setattr(obj, self.numbered.attname, number)
                count = len(numbers)
            else:
                count = cursor.rowcount
        if count == len(objs) and not self.update_conflicts:  # each row went in (with its id, if numbered)
            saved(objs)
        return count


def saved(objs: Sequence[Model]) -> None:
    """Mark instances as rows of the database, as the ORM does after an insert."""
    for obj in objs:
        obj._state.adding, obj._state.db = False, DEFAULT_DB_ALIAS
