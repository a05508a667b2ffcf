"""Database expressions our figures need on both databases we run on
(PostgreSQL, and SQLite for ``make run``)."""

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from the second date to the first (``end - start``), as an
    integer that can be multiplied by an amount. PostgreSQL subtracts dates to
    an integer; SQLite goes through Julian day numbers. (Django's own date
    subtraction gives a duration, which neither database multiplies.)"""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = self.get_source_expressions()
        end_sql, end_params = compiler.compile(end)
        start_sql, start_params = compiler.compile(start)
        return (
            f"CAST(ROUND(julianday({end_sql}) - julianday({start_sql})) AS INTEGER)",
            (*end_params, *start_params),
        )
