"""Reads that every request makes (the signed-in applicant or staff member, the API token's owner), as statements
written once.

The ORM builds and compiles the same SELECT anew on each call, which costs more than the query itself; here the
statement is built once per database and the rows become model instances as the ORM makes them: through the same
converters (decryption of encrypted columns, dates on SQLite) and `Model.from_db`.
"""

from __future__ import annotations

import enum
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connections, router
from django.db.models import Field, ForeignKey, Model
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.accounts.models import Applicant, Profile, StaffAccount
from jianli.employers.models import Employer, EmployerStaff

_statements: dict[str, str] = {}
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def pk_column(model: type[Model]) -> str:
    column = model._meta.pk.column
    assert column is not None
    return column


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


_WHOLE: dict[tuple[type[Model], str], tuple[list[str], list[list[Any]]]] = {}


def _build(model: type[Model], using: str, connection: Any, values: tuple[Any, ...]) -> Model:
    whole = _WHOLE.get((model, using))
    if whole is None:
        fields: list[Field] = list(model._meta.concrete_fields)
        whole = _WHOLE[(model, using)] = ([f.attname for f in fields], _converters(model, fields, connection))
    return _assemble(model, using, whole[0], whole[1], values, connection)


def _converters(model: type[Model], fields: list[Field], connection: Any) -> list[list[Any]]:
    """Per field, what the ORM passes a value read from this database through (decryption, JSON, dates)."""
    found = []
    for field in fields:
        col = field.get_col(model._meta.db_table)
        found.append([(convert, col) for convert in
                      connection.ops.get_db_converters(col) + field.get_db_converters(connection)])
    return found


def _assemble(model: type[Model], using: str, attnames: list[str], converters: list[list[Any]],
              values: tuple[Any, ...] | list[Any], connection: Any) -> Model:
    converted = []
    for steps, value in zip(converters, values, strict=True):
        for convert, col in steps:
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(using, attnames, converted)


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
            f"ON p.{qn(Profile._meta.get_field('applicant').column)} = a.{qn(pk_column(Applicant))} "
            f"WHERE a.{qn(pk_column(Applicant))} = %s"
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


class Select:
    """A read the ORM would build and compile anew on every call, as a statement written once per database.

    `Select(Application, related="employer", where=("pk", "applicant")).first(pk, applicant_id)` reads as
    `Application.objects.select_related("employer").filter(pk=pk, applicant=applicant_id).first()` would, in the
    model's Meta ordering unless `order` says otherwise; `fields` narrows the columns as `.only()` does (the others
    load on access). Conditions: equality to the values given at each call, and `among` fixed sets of values
    (`among={"state": EDITABLE_STATES}` as `state__in=EDITABLE_STATES`): what the fixed reads need, nothing more.
    """

    def __init__(self, model: type[Model], *, where: tuple[str, ...], related: str = "",
                 fields: tuple[str, ...] = (), related_fields: tuple[str, ...] = (),
                 order: tuple[str, ...] = (), among: dict[str, tuple[Any, ...]] | None = None) -> None:
        meta = model._meta
        self.model = model
        self.where = [self._field(model, name) for name in where]
        self.among = [(self._field(model, name), [_plain(v) for v in values]) for name, values in (among or {}).items()]
        self.fields = self._fields(model, fields)
        relation = meta.get_field(related) if related else None
        assert relation is None or isinstance(relation, ForeignKey), related
        self.relation: ForeignKey | None = relation
        self.related_model: type[Model] | None = self.relation.related_model if self.relation else None  # type: ignore[assignment]
        self.related_fields = self._fields(self.related_model, related_fields) if self.related_model else []
        self.order = order or tuple(str(o) for o in (meta.ordering or ["pk"]))
        self._prepared: dict[str, tuple[str, list[list[Any]], list[list[Any]]]] = {}

    @staticmethod
    def _field(model: type[Model], name: str) -> Field:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        assert isinstance(field, Field), name
        return field

    @staticmethod
    def _fields(model: type[Model], names: tuple[str, ...]) -> list[Field]:
        if not names:
            return list(model._meta.concrete_fields)
        wanted = {model._meta.pk.name, *names}
        return [f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted]

    def _prepare(self, using: str, connection: Any) -> tuple[str, list[list[Any]], list[list[Any]]]:
        qn = connection.ops.quote_name
        meta = self.model._meta
        select = [f"t.{qn(f.column)}" for f in self.fields]
        join = ""
        if self.relation is not None and self.related_model is not None:
            related = self.related_model._meta
            select += [f"r.{qn(f.column)}" for f in self.related_fields]
            join = (f" LEFT JOIN {qn(related.db_table)} r ON r.{qn(pk_column(self.related_model))} = "
                    f"t.{qn(self.relation.column)}")
        order = []
        for name in self.order:
            field = self._field(self.model, name.lstrip("-"))
            order.append(f"t.{qn(field.column)}{' DESC' if name.startswith('-') else ''}")
        conditions = [f"t.{qn(f.column)} = %s" for f in self.where]
        conditions += [f"t.{qn(f.column)} IN ({', '.join(['%s'] * len(values))})" for f, values in self.among]
        sql = (
            f"SELECT {', '.join(select)} FROM {qn(meta.db_table)} t{join} "
            f"WHERE {' AND '.join(conditions)} ORDER BY {', '.join(order)}"
        )
        prepared = (
            sql,
            _converters(self.model, self.fields, connection),
            _converters(self.related_model, self.related_fields, connection) if self.related_model else [],
        )
        self._prepared[using] = prepared
        return prepared

    def rows(self, *values: Any) -> list[Any]:
        values = tuple(_plain(getattr(v, "pk", v)) for v in values)
        if any(isinstance(v, int) and not BIGINT_MIN <= v <= BIGINT_MAX for v in values):
            return []  # as the ORM answers: no row has such a key (SQLite would raise OverflowError)
        using = router.db_for_read(self.model)
        connection = connections[using]
        sql, converters, related_converters = self._prepared.get(using) or self._prepare(using, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, *(v for _, among in self.among for v in among)])
            found = cursor.fetchall()
        attnames = [f.attname for f in self.fields]
        related_attnames = [f.attname for f in self.related_fields]
        n = len(attnames)
        rows = []
        for row in found:
            instance = _assemble(self.model, using, attnames, converters, row[:n], connection)
            if self.relation is not None and self.related_model is not None:
                other = row[n:]
                self.relation.set_cached_value(
                    instance,
                    _assemble(self.related_model, using, related_attnames, related_converters, other, connection)
                    if other[0] is not None else None,
                )
            rows.append(instance)
        return rows

    def first(self, *values: Any) -> Any:
        found = self.rows(*values)
        return found[0] if found else None


def _plain(value: Any) -> Any:
    """A choice's value as the plain str or int it is stored as (the driver adapts those without a lookup)."""
    return value.value if isinstance(value, enum.Enum) else value


_ROWS: dict[tuple[type[Model], str], Select] = {}


def rows_where(model: type[Model], field: str, value: Any) -> list[Any]:
    """list(model.objects.filter(**{field: value})) in the model's Meta ordering, every column, by a statement
    written once: the lists of one application that its progress page shows."""
    select = _ROWS.get((model, field))
    if select is None:
        select = _ROWS[(model, field)] = Select(model, where=(field,))
    return select.rows(value)


_STAFF_SQL: dict[str, str] = {}
TEMPORARY = "_jianli_password_temporary"  # StaffAccount.password_temporary as read with the user
DEVICES = "_jianli_devices"  # the user's TOTP devices by id, as read with the user


def staff_user(pk: int) -> User | None:
    """User.objects.get(pk=pk) with what the staff consoles check on every request, in one statement: the
    group names (roles.group_names), the temporary-password flag (staff.password_is_temporary), the
    company account and its employer (user.employer_staff) and the TOTP devices (django-otp's check of the
    session's device). Through the ORM these were five queries, each built and compiled anew.

    One row per group of the user (times their devices): a user in no group gives one row with NULLs."""
    using = router.db_for_read(User)
    connection = connections[using]
    sql = _STAFF_SQL.get(using)
    if sql is None:
        qn = connection.ops.quote_name
        pk_col = qn(pk_column(User))
        membership = User.groups.through._meta  # type: ignore[attr-defined]

        def col(model_meta: Any, name: str) -> str:
            return qn(model_meta.get_field(name).column)

        sql = _STAFF_SQL[using] = (
            f"SELECT {columns(User, 'u', connection)}, {columns(TOTPDevice, 'd', connection)}, "
            f"{columns(EmployerStaff, 'es', connection)}, {columns(Employer, 'e', connection)}, "
            f"s.{col(StaffAccount._meta, 'password_temporary')}, g.{col(Group._meta, 'name')} "
            f"FROM {qn(User._meta.db_table)} u "
            f"LEFT JOIN {qn(TOTPDevice._meta.db_table)} d ON d.{col(TOTPDevice._meta, 'user')} = u.{pk_col} "
            f"LEFT JOIN {qn(EmployerStaff._meta.db_table)} es ON es.{col(EmployerStaff._meta, 'user')} = u.{pk_col} "
            f"LEFT JOIN {qn(Employer._meta.db_table)} e "
            f"ON e.{qn(pk_column(Employer))} = es.{col(EmployerStaff._meta, 'employer')} "
            f"LEFT JOIN {qn(StaffAccount._meta.db_table)} s ON s.{col(StaffAccount._meta, 'user')} = u.{pk_col} "
            f"LEFT JOIN {qn(membership.db_table)} ug ON ug.{col(membership, 'user')} = u.{pk_col} "
            f"LEFT JOIN {qn(Group._meta.db_table)} g ON g.{qn(pk_column(Group))} = ug.{col(membership, 'group')} "
            f"WHERE u.{pk_col} = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        rows = cursor.fetchall()
    if not rows:
        return None
    models: list[type[Model]] = [User, TOTPDevice, EmployerStaff, Employer]
    user, _, staff, employer = models_of(rows[0], models, using, connection)
    assert isinstance(user, User)
    devices: dict[int, TOTPDevice] = {}
    for row in rows:
        device = models_of(row, models, using, connection)[1]
        if isinstance(device, TOTPDevice) and device.pk not in devices:
            device.user = user
            devices[device.pk] = device
    setattr(user, DEVICES, devices)
    setattr(user, TEMPORARY, bool(rows[0][-2]))
    user._jianli_groups = frozenset(row[-1] for row in rows if row[-1] is not None)  # type: ignore[attr-defined]
    if staff is not None:
        EmployerStaff._meta.get_field("employer").set_cached_value(staff, employer)
        EmployerStaff._meta.get_field("user").set_cached_value(staff, user)
    User.employer_staff.related.set_cached_value(user, staff)  # type: ignore[attr-defined]
    return user
