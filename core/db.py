"""Database expressions the ORM lacks on every database we run on."""

from django.db import NotSupportedError
from django.db.models import FloatField, Func


class HoursBetween(Func):
    """Hours from one date-time column to another, as a float. PostgreSQL subtracts them into an
    interval; SQLite (the `make run` default) has no interval type, so it uses julian days."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("HoursBetween is written for PostgreSQL and SQLite.")

    def as_sqlite(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return f"((julianday({end[0]}) - julianday({start[0]})) * 24.0)", (*end[1], *start[1])

    def as_postgresql(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(EXTRACT(epoch FROM {end[0]} - {start[0]}) / 3600.0)", (*end[1], *start[1])
