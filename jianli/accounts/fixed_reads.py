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


def columns(model: type[Model], alias: str, connection: Any) -> str:
    """The model's columns, in the order `models_of` reads them back, from the table named `alias`."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields)


def models_of(row: tuple[Any, ...], models: list[type[Model]], using: str, connection: Any) -> list[Model | None]:
    """A row selected as columns(m1), columns(m2)...: one instance per model, None where its primary key is NULL
    (nothing joined)."""
    found: list[Model | None] = []
    start = 0
    for model in models:
        n = len(model._meta.concrete_fields)
        values = row[start:start + n]
        found.append(_build(model, using, connection, values) if values[0] is not None else None)
        start += n
    return found


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
            f"SELECT {columns(Applicant, 'a', connection)}, {columns(Profile, 'p', connection)} "
            f"FROM {qn(Applicant._meta.db_table)} a LEFT JOIN {qn(Profile._meta.db_table)} p "
            f"ON p.{qn(Profile._meta.get_field('applicant').column)} = a.{qn(Applicant._meta.pk.column)} "
            f"WHERE a.{qn(Applicant._meta.pk.column)} = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    applicant, profile = models_of(row, [Applicant, Profile], using, connection)
    own_profile(applicant, profile)  # type: ignore[arg-type]
    return applicant  # type: ignore[return-value]


def own_profile(applicant: Applicant, profile: Profile | None) -> None:
    """What select_related("profile") leaves behind: applicant.profile answers without a query."""
    Applicant.profile.related.set_cached_value(applicant, profile)  # type: ignore[attr-defined]
    if profile is not None:
        Profile._meta.get_field("applicant").set_cached_value(profile, applicant)


_ROWS_SQL: dict[tuple[str, type[Model], str], str] = {}


def rows_where(model: type[Model], field: str, value: Any) -> list[Any]:
    """list(model.objects.filter(**{field: value})) in the model's Meta ordering, every column, by a statement
    written once: the lists of one application that its progress page shows."""
    using = router.db_for_read(model)
    connection = connections[using]
    sql = _ROWS_SQL.get((using, model, field))
    if sql is None:
        qn = connection.ops.quote_name
        meta = model._meta
        order = []
        for name in meta.ordering or ["pk"]:
            assert isinstance(name, str), name
            column = meta.pk.column if name.lstrip("-") == "pk" else meta.get_field(name.lstrip("-")).column
            order.append(f"t.{qn(column)}{' DESC' if name.startswith('-') else ''}")
        sql = _ROWS_SQL[(using, model, field)] = (
            f"SELECT {columns(model, 't', connection)} FROM {qn(meta.db_table)} t "
            f"WHERE t.{qn(meta.get_field(field).column)} = %s ORDER BY {', '.join(order)}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        return [models_of(row, [model], using, connection)[0] for row in cursor.fetchall()]
