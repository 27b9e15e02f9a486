"""Queries compiled ahead of a lock and run under it.

Building a query's SQL (Django's compiler) costs more than PostgreSQL takes to
run it. Under a row lock every writer of that row waits for it, so the writes
compile what they will run before taking the lock, and under it only send it;
their inserts are compiled once per shape (`insert`).
A kernel module (it imports no app).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.expressions import DatabaseDefault
from django.db.models.sql import InsertQuery, Query
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


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
        """The rows as the database adapter gives them (no field converters): for columns
        that need none, and to compare."""
        if not self.sql:
            return []
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return cursor.fetchall()

    def instances(self) -> list[Any]:
        """The rows as model instances, annotations as attributes (a raw query's
        mapping, worked out once per statement)."""
        if not self.sql:
            return []
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            key = (self.model, self.sql, self.using)
            reader = _readers.get(key) or _readers.setdefault(
                key, _RowReader.of(self.model, cursor, self.using)
            )
            rows = cursor.fetchall()
        return reader.instances(rows, self.using)


@dataclass(frozen=True)
class _RowReader:
    """Where a statement's columns go on its model (RawQuerySet's mapping)."""

    names: tuple[str, ...]
    positions: tuple[int, ...]
    annotations: tuple[tuple[str, int], ...]
    query: Query
    converters: dict

    @classmethod
    def of(cls, model: type[Model], cursor, using: str) -> _RowReader:
        converter = connections[using].introspection.identifier_converter
        fields = {converter(field.column): field for field in model._meta.concrete_fields}
        columns = [converter(column[0]) for column in cursor.description]
        # In the model's field order, whatever the statement's: Model.from_db needs it.
        read = [field for field in model._meta.concrete_fields if converter(field.column) in columns]
        if model._meta.pk not in read:
            raise ValueError("A statement read as model instances must include the primary key.")
        query = Query(model)
        table = model._meta.db_table
        cols = [fields[column].get_col(table) if column in fields else None for column in columns]
        return cls(
            names=tuple(field.attname for field in read),
            positions=tuple(columns.index(converter(field.column)) for field in read),
            annotations=tuple((column, at) for at, column in enumerate(columns) if column not in fields),
            query=query,
            converters=query.get_compiler(using).get_converters(cols),
        )

    def instances(self, rows: list[tuple], using: str) -> list[Any]:
        if self.converters:
            rows = list(self.query.get_compiler(using).apply_converters(rows, self.converters))
        model = self.query.model
        found = []
        for row in rows:
            instance = model.from_db(using, self.names, [row[position] for position in self.positions])
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


# By (model, statement, database): filled on a statement's first run. The code
# sends a few statements of each kind (one per number of seats at most).
_readers: dict[tuple, _RowReader] = {}


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


@dataclass(frozen=True)
class _InsertShape:
    sql: str
    returning: tuple[Field, ...]
    returning_params: tuple
    converters: dict


# By (model, rows, the fields left to their database default, database): a few
# per model (one per number of seats at most).
_insert_shapes: dict[tuple, _InsertShape] = {}


def _inserted_fields(model: type[Model]) -> tuple[Field, ...]:
    # The fields bulk_create writes for instances without a primary key.
    opts = model._meta
    return tuple(
        field for field in opts.concrete_fields if not field.generated and field is not opts.auto_field
    )


def _defaulted(obj: Model, fields: tuple[Field, ...]) -> frozenset[str]:
    return frozenset(
        field.attname for field in fields if isinstance(getattr(obj, field.attname), DatabaseDefault)
    )


def _insert_shape(objs: Sequence[Model], fields: tuple[Field, ...], using: str) -> _InsertShape:
    model = type(objs[0])
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    compiler = query.get_compiler(using)
    # PostgreSQL and SQLite return every inserted row (insert()'s strict zip would
    # refuse a database that returned fewer).
    compiler.returning_fields = returning = tuple(model._meta.db_returning_fields)
    [(sql, _params)] = compiler.as_sql()
    converters = compiler.get_converters([field.get_col(model._meta.db_table) for field in returning])
    return _InsertShape(sql, returning, tuple(compiler.returning_params), converters)


def insert(objs: Sequence[M], using: str = DEFAULT_DB_ALIAS) -> list[M]:
    """`bulk_create(objs)` (new instances of one model, without primary keys), with
    the SQL built once per shape: Django's insert compiler still prepares each value,
    and what the database returns (the id, its defaults) lands on the instances.
    Like bulk_create, it sends no signals."""
    if not objs:
        return []
    model = type(objs[0])
    fields = _inserted_fields(model)
    defaulted = _defaulted(objs[0], fields)
    if any(type(obj) is not model or obj.pk is not None for obj in objs):
        raise ValueError("insert() takes new instances of one model, without primary keys.")
    if any(_defaulted(obj, fields) != defaulted for obj in objs):
        raise ValueError("insert() takes instances that leave the same fields to their database default.")
    key = (model, len(objs), defaulted, using)
    shape = _insert_shapes.get(key) or _insert_shapes.setdefault(key, _insert_shape(objs, fields, using))
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    connection = connections[using]
    compiler = query.get_compiler(using)
    value_rows = [
        [compiler.prepare_value(field, compiler.pre_save_val(field, obj)) for field in fields] for obj in objs
    ]
    _placeholders, param_rows = compiler.assemble_as_sql(fields, value_rows)
    with connection.cursor() as cursor:
        cursor.execute(shape.sql, tuple(chain.from_iterable([*param_rows, shape.returning_params])))
        rows = cursor.fetchall()
    if shape.converters:
        rows = compiler.apply_converters(rows, shape.converters)
    for obj, returned in zip(objs, rows, strict=True):
        for field, value in zip(shape.returning, returned, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = using
    return list(objs)
