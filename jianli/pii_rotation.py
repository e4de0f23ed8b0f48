"""Re-encrypting personal data to the newest key of the ring (`jianli rotate-pii`).

Every `EncryptedTextField` of every model and every file a model names in `encrypted_files` ({field: purpose}).
Resumable without bookkeeping: a column value starts with its key id and a file's name carries it, so what is
already on the newest key is skipped in SQL, and the work goes in batches by primary key. Safe beside the
running service (deployed with the new ring first): rows are locked while re-encrypted, and a file's row is
switched to the new file only if it still names the old one; old-key files an interrupted run left unnamed are
removed at the end of a complete run (and counted by --verify).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, Q, QuerySet
from tqdm import tqdm

from jianli import pii

BATCH_SIZE = 500


@dataclass
class Report:
    fields: int = 0  # encrypted values re-encrypted
    files: int = 0
    missing: list[str] = field(default_factory=list)  # "label #pk: path" of files a row names but storage lacks
    remaining: int = 0  # rows and files left when stopped by the limit
    swept: int = 0  # files on an older key that no row names (left by an interrupted run), removed

    def summary(self) -> str:
        lines = [f"已重新加密（密钥 {pii.ring().primary}）：字段 {self.fields}，文件 {self.files}"]
        if self.swept:
            lines.append(f"已删除无记录引用的旧密钥文件 {self.swept} 个")
        if self.missing:
            lines.append(f"找不到的文件 {len(self.missing)} 个：" + "；".join(self.missing[:20]))
        if self.remaining:
            lines.append(f"已达处理上限，尚有 {self.remaining} 项待处理：再次运行即从中断处继续")
        return "\n".join(lines)


@dataclass
class Verification:
    checked: int = 0
    stale: int = 0  # values and files on an older key, counting files no row names
    unreadable: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"核验完成（密钥 {pii.ring().primary}）：共 {self.checked} 项，{self.stale} 项未使用最新密钥，"
            f"{len(self.unreadable)} 项无法解密或找不到"
        )


def field_targets(apps: Apps = global_apps) -> list[tuple[type[models.Model], list[str]]]:
    targets = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, pii.EncryptedTextField)]
        if names:
            targets.append((model, names))
    return targets


def file_targets(apps: Apps = global_apps) -> list[tuple[type[models.Model], str, str]]:
    return [
        (model, name, purpose)
        for model in apps.get_models()
        for name, purpose in getattr(model, "encrypted_files", {}).items()
    ]


def stale_rows(model: type[models.Model], names: list[str]) -> QuerySet[models.Model]:
    # A pattern lookup compares the stored ciphertext itself (its right side is not encrypted).
    prefix = pii.ring().primary + ":"
    stale = Q()
    for name in names:
        stale |= ~Q(**{name: ""}) & ~Q(**{f"{name}__startswith": prefix})
    return model._default_manager.filter(stale)


def stale_files(model: type[models.Model], name: str) -> QuerySet[models.Model]:
    return model._default_manager.exclude(**{name: ""}).exclude(**{f"{name}__endswith": pii.file_suffix()})


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _batches(queryset: QuerySet[models.Model], batch_size: int, budget: list[int]) -> Iterator[list[int]]:
    """Primary keys of `queryset` in ascending batches, until it or the budget runs out."""
    last = None
    while budget[0] > 0:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[: min(batch_size, budget[0])])
        if not pks:
            return
        budget[0] -= len(pks)
        last = pks[-1]
        yield pks


def rotate_fields(model: type[models.Model], names: list[str], *, report: Report, batch_size: int,
                  budget: list[int], bar: tqdm) -> None:
    manager = model._default_manager
    for pks in _batches(stale_rows(model, names), batch_size, budget):
        with transaction.atomic():
            # Locked and checked again: a row the service rewrote meanwhile is already on the newest key.
            for row in stale_rows(model, names).filter(pk__in=pks).select_for_update().only("pk", *names):
                values = {name: getattr(row, name) for name in names if getattr(row, name)}
                manager.filter(pk=row.pk).update(**values)  # update(): no save() side effects, no auto_now
                report.fields += len(values)
        bar.update(len(pks))


def rotate_files(model: type[models.Model], name: str, purpose: str, *, report: Report, batch_size: int,
                 budget: list[int], bar: tqdm, queryset: QuerySet[models.Model] | None = None) -> None:
    manager = model._default_manager
    stale = stale_files(model, name) if queryset is None else queryset
    for pks in _batches(stale, batch_size, budget):
        for pk, path in stale.filter(pk__in=pks).order_by("pk").values_list("pk", name):
            try:
                data = pii.read_file(path, purpose)
            except FileNotFoundError:
                report.missing.append(f"{_label(model)} #{pk}: {path}")
                continue
            new = pii.save_file(data, purpose)
            # Written first, switched by compare-and-set, the old file removed last: a stop at any point
            # leaves the row naming a whole file.
            if manager.filter(pk=pk, **{name: path}).update(**{name: new}):
                default_storage.delete(path)
                report.files += 1
            else:
                default_storage.delete(new)
        bar.update(len(pks))


def unnamed_old_files() -> Iterator[str]:
    """Files on an older key (or plain) that no row names: what a stop between the switch and the removal leaves.

    Only names not on the newest key are candidates; the service, once deployed with the new ring, writes none."""
    suffix = pii.file_suffix()
    named_by = {purpose: (model, name) for model, name, purpose in file_targets()}
    for purpose, folder in pii.FOLDERS.items():
        model, name = named_by[purpose]
        try:
            files = default_storage.listdir(folder)[1]
        except FileNotFoundError:
            continue
        for filename in files:
            path = f"{folder}/{filename}"
            if not filename.endswith(suffix) and not model._default_manager.filter(**{name: path}).exists():
                yield path


def pending() -> int:
    return sum(stale_rows(m, names).count() for m, names in field_targets()) + sum(
        stale_files(m, name).count() for m, name, _ in file_targets()
    )


def rotate_all(*, batch_size: int = BATCH_SIZE, limit: int | None = None, show_progress: bool = False) -> Report:
    report = Report()
    budget = [limit if limit is not None else pending()]
    with tqdm(total=budget[0], unit="项", desc="rotate-pii", disable=not show_progress) as bar:
        for model, names in field_targets():
            rotate_fields(model, names, report=report, batch_size=batch_size, budget=budget, bar=bar)
        for model, name, purpose in file_targets():
            rotate_files(model, name, purpose, report=report, batch_size=batch_size, budget=budget, bar=bar)
    report.remaining = pending() - len(report.missing)
    if not report.remaining:
        for path in unnamed_old_files():
            default_storage.delete(path)
            report.swept += 1
    return report


def verify(*, batch_size: int = BATCH_SIZE, show_progress: bool = False) -> Verification:
    """Open every encrypted value and file: each must be on the newest key and decrypt with it."""
    result = Verification()
    primary = pii.ring().primary
    total = sum(m._default_manager.count() for m, _ in field_targets()) + sum(
        m._default_manager.exclude(**{n: ""}).count() for m, n, _ in file_targets()
    )
    with tqdm(total=total, unit="项", desc="verify", disable=not show_progress) as bar:
        for model, names in field_targets():
            purposes = {f.name: f.purpose for f in model._meta.concrete_fields if f.name in names}  # type: ignore[attr-defined]
            # The stored text, not the decrypted value the field would give.
            raw = {f"raw_{n}": ExpressionWrapper(F(n), output_field=models.TextField()) for n in names}
            rows = model._default_manager.annotate(**raw).values_list("pk", *raw).order_by("pk")
            for pk, *values in rows.iterator(chunk_size=batch_size):
                for name, value in zip(names, values, strict=True):
                    if not value:
                        continue
                    result.checked += 1
                    result.stale += not value.startswith(primary + ":")
                    try:
                        pii.decrypt_text(value, purposes[name])
                    except (InvalidTag, ValueError, pii.UnknownKey):
                        result.unreadable.append(f"{_label(model)} #{pk}.{name}")
                bar.update(1)
        for model, name, purpose in file_targets():
            rows = model._default_manager.exclude(**{name: ""}).values_list("pk", name).order_by("pk")
            for pk, path in rows.iterator(chunk_size=batch_size):
                result.checked += 1
                try:
                    with default_storage.open(path, "rb") as f:
                        data = f.read()
                    result.stale += not data.startswith(primary.encode() + b":")
                    pii.decrypt_bytes(data, purpose)
                except (FileNotFoundError, InvalidTag, ValueError, pii.UnknownKey):
                    result.unreadable.append(f"{_label(model)} #{pk}: {path}")
                bar.update(1)
    result.stale += sum(1 for _ in unnamed_old_files())
    return result
