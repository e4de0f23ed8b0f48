"""Reads that every request makes (the signed-in applicant, the API token's owner), as statements written once.

The ORM builds and compiles the same SELECT anew on each call, which costs more than the query itself; here the
statement is built once per database and the rows become model instances as the ORM makes them: through the same
converters (decryption of encrypted columns, dates on SQLite) and `Model.from_db`.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router
from django.db.models import Field, Model

from jianli.accounts.models import Applicant, Profile

_statements: dict[str, str] = {}


def _columns(model: type[Model], alias: str, connection: Any) -> str:
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields)


def _build(model: type[Model], using: str, connection: Any, values: tuple[Any, ...]) -> Model:
    fields: list[Field] = list(model._meta.concrete_fields)
    converted = []
    for field, value in zip(fields, values, strict=True):
        col = field.get_col(model._meta.db_table)
        for convert in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(using, [f.attname for f in fields], converted)


def applicant_with_profile(pk: int) -> Applicant | None:
    """Applicant.objects.select_related("profile").filter(pk=pk).first(), the profile None when there is none."""
    using = router.db_for_read(Applicant)
    connection = connections[using]
    sql = _statements.get(using)
    if sql is None:
        qn = connection.ops.quote_name
        sql = _statements[using] = (
            f"SELECT {_columns(Applicant, 'a', connection)}, {_columns(Profile, 'p', connection)} "
            f"FROM {qn(Applicant._meta.db_table)} a LEFT JOIN {qn(Profile._meta.db_table)} p "
            f"ON p.{qn(Profile._meta.get_field('applicant').column)} = a.{qn(Applicant._meta.pk.column)} "
            f"WHERE a.{qn(Applicant._meta.pk.column)} = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(Applicant._meta.concrete_fields)
    applicant = _build(Applicant, using, connection, row[:n])
    profile = _build(Profile, using, connection, row[n:]) if row[n] is not None else None
    Applicant.profile.related.set_cached_value(applicant, profile)  # type: ignore[attr-defined]
    if profile is not None:
        Profile._meta.get_field("applicant").set_cached_value(profile, applicant)
    return applicant  # type: ignore[return-value]
