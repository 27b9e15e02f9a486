"""Queries compiled ahead of a lock and run under it.

Building a query's SQL (Django's compiler) costs more than PostgreSQL takes to
run it. Under a row lock every writer of that row waits for it, so the writes
compile what they will run before taking the lock, and under it only send it.
A kernel module (it imports no app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class Prepared:
    sql: str
    params: tuple
    using: str
    model: type[Model]

    @classmethod
    def of(cls, queryset: QuerySet) -> Prepared:
        try:
            sql, params = queryset.query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:  # e.g. `pk__in=[]`: no row, and nothing to send
            sql, params = "", ()
        return cls(sql, tuple(params), queryset.db, queryset.model)

    def rows(self) -> list[tuple]:
        """The rows as the database adapter gives them (no field converters): to compare."""
        if not self.sql:
            return []
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return cursor.fetchall()

    def instances(self) -> list[Any]:
        """The rows as model instances, annotations as attributes (a raw query's mapping)."""
        if not self.sql:
            return []
        return list(self.model.objects.db_manager(self.using).raw(self.sql, self.params))


@dataclass(frozen=True)
class CompiledRow:
    """A one-row read of constant shape, compiled once and sent with new parameters:
    for a hot path's read where building the query costs more than running it."""

    sql: str
    compiler: SQLCompiler
    converters: dict
    parameters: int

    @classmethod
    def of(cls, queryset: QuerySet) -> CompiledRow:
        """`queryset` (of `values_list`) compiled with stand-in parameters."""
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return cls(sql, compiler, converters, len(params))

    def first(self, *params: Any) -> tuple | None:
        if len(params) != self.parameters:
            raise TypeError(f"This read takes {self.parameters} parameters, not {len(params)}.")
        with connections[self.compiler.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        return tuple(next(iter(self.compiler.apply_converters([row], self.converters))))


@dataclass(frozen=True)
class QueryShape:
    """A query of fixed shape compiled once, with stand-in values where each call's
    own go (`of`), then filled in per call (`prepared`) without Django's compiler.

    A stand-in must be a value no constant of the query can equal (an id near the
    largest bigint, a date in 1901); every one must be found, or `of` refuses.
    """

    sql: str
    params: tuple
    slots: tuple[tuple[int, str, bool], ...]  # (position, name, as the database adapts it)
    using: str
    model: type[Model]

    @classmethod
    def of(cls, queryset: QuerySet, stand_ins: dict[str, Any]) -> QueryShape:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
        ops = connections[queryset.db].ops
        slots = []
        for position, param in enumerate(params):
            for name, value in stand_ins.items():
                if type(param) is type(value) and param == value:
                    slots.append((position, name, False))
                elif isinstance(value, datetime) and param == ops.adapt_datetimefield_value(value):
                    slots.append((position, name, True))
        missing = set(stand_ins) - {name for _position, name, _adapted in slots}
        if missing:
            raise ValueError(f"Stand-ins not found among the query's parameters: {sorted(missing)}.")
        return cls(sql, tuple(params), tuple(slots), queryset.db, queryset.model)

    def prepared(self, **values: Any) -> Prepared:
        ops = connections[self.using].ops
        params = list(self.params)
        for position, name, adapted in self.slots:
            params[position] = ops.adapt_datetimefield_value(values[name]) if adapted else values[name]
        return Prepared(self.sql, tuple(params), self.using, self.model)
