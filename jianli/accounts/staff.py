"""Staff accounts: the audit of every change of an account, its roles (groups, permissions, employer) and its
credentials (password, authenticator), and the temporary password that must be changed at the next sign-in.

Changes come from the operators' admin, the consoles, management commands (createsuperuser, changepassword) and
code, so they are caught where they all meet: the models' signals (connected in AccountsConfig.ready). A password
set by anyone but its holder is temporary.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.accounts import fixed_reads
from jianli.accounts.models import StaffAccount
from jianli.audit import events
from jianli.audit.context import current_request
from jianli.employers.models import Employer, EmployerStaff
from jianli.errors import ServiceError

TRACKED = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")
UNUSABLE_PREFIX = "!"
# Django's own translations miss some validators' current wording; ours name the rule in Chinese.
PASSWORD_RULES = {
    "password_too_short": "密码太短，至少需要{min_length}个字符",
    "password_too_common": "该密码过于常见，请换一个",
    "password_entirely_numeric": "密码不能全部是数字",
    "password_too_similar": "密码与用户名或姓名过于相似",
}


def count_failure(request: HttpRequest, username: str) -> None:
    """A failed staff sign-in step (password or TOTP code), counted by django-axes towards the lockout."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# ---------------------------------------------------------------- the temporary password


def password_is_temporary(user: AbstractBaseUser | AnonymousUser) -> bool:
    if user.pk is None:
        return False
    known = getattr(user, fixed_reads.TEMPORARY, None)  # read with the session's user (StaffBackend)
    if known is not None:
        return bool(known)
    return StaffAccount.objects.filter(user_id=user.pk, password_temporary=True).exists()


def staff_password_keep(*, user: User) -> None:
    """The account's password counts as chosen by its holder (demo and test accounts)."""
    StaffAccount.objects.update_or_create(user=user, defaults={"password_temporary": False})


def staff_password_change(
    *, user: User, old_password: str, new_password: str, new_password_again: str, request: HttpRequest
) -> None:
    """The holder changes their own password: the current one, then the new one twice. Other sessions end."""
    errors: dict[str, str] = {}
    if not old_password:
        errors["old_password"] = "请输入当前密码"
    elif not user.check_password(old_password):
        count_failure(request, user.get_username())
        errors["old_password"] = "当前密码不正确"
    if not new_password:
        errors["new_password"] = "请输入新密码"
    elif len(new_password) > 128:
        errors["new_password"] = "新密码不能超过128个字符"
    elif new_password == old_password:
        errors["new_password"] = "新密码不能与当前密码相同"
    else:
        try:
            validate_password(new_password, user)
        except ValidationError as e:
            errors["new_password"] = "；".join(
                PASSWORD_RULES[err.code].format(**(err.params or {})) if err.code in PASSWORD_RULES else err.messages[0]
                for err in e.error_list
            )
    if "new_password" not in errors and new_password_again != new_password:
        errors["new_password_again"] = "两次输入的新密码不一致"
    if errors:
        raise ServiceError("invalid", "请检查填写的信息", fields=errors, status=422)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)


# ---------------------------------------------------------------- receivers


def _by_self(user_id: int | None) -> bool:
    request = current_request()
    actor = getattr(request, "user", None) if request is not None else None
    return bool(actor is not None and actor.is_authenticated and actor.pk == user_id)


def _usable(hashed: str) -> bool:
    return bool(hashed) and not hashed.startswith(UNUSABLE_PREFIX)


def _user_before(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields and set(update_fields) <= {"last_login"}):
        instance._staff_before = None  # type: ignore[attr-defined]
        return
    instance._staff_before = User.objects.filter(pk=instance.pk).values(*TRACKED, "password").first()  # type: ignore[attr-defined]


def _password_set(instance: User, before: dict[str, Any] | None, update_fields: Any) -> bool:
    if getattr(instance, "_password", None) is not None:  # set_password() on this instance
        return True
    if before is None or before["password"] == instance.password:
        return False
    # Django rehashing on sign-in (a newer hasher) saves only the password, with no raw password kept.
    return not (update_fields and set(update_fields) == {"password"})


def _user_saved(sender: Any, instance: User, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    before = getattr(instance, "_staff_before", None)
    if created:
        temporary = _usable(instance.password) and not _by_self(instance.pk)
        StaffAccount.objects.update_or_create(
            user=instance, defaults={"password_temporary": temporary, "password_changed_at": timezone.now()}
        )
        events.staff_account_created(None, instance, password_temporary=temporary)
        return
    if before is None and not getattr(instance, "_password", None):
        return
    if before is not None:
        changes = {f: [before[f], getattr(instance, f)] for f in TRACKED if before[f] != getattr(instance, f)}
        if changes:
            events.staff_account_changed(None, instance, changes)
    if _password_set(instance, before, update_fields):
        by_self = _by_self(instance.pk)
        temporary = _usable(instance.password) and not by_self
        StaffAccount.objects.update_or_create(
            user=instance, defaults={"password_temporary": temporary, "password_changed_at": timezone.now()}
        )
        instance.__dict__.pop(fixed_reads.TEMPORARY, None)  # read again when asked next
        events.staff_password_changed(None, instance, by_self=by_self, temporary=temporary,
                                      usable=_usable(instance.password))


def _user_deleted(sender: Any, instance: User, **kwargs: Any) -> None:
    events.staff_account_deleted(None, instance.pk, instance.get_username())


def _names(model: Any, pks: Any) -> list[str]:
    if model is Group:
        return sorted(f"group:{n}" for n in Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    return sorted(
        f"permission:{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=pks).values_list("content_type__app_label", "codename")
    )


def _user_m2m(sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kwargs: Any) -> None:
    """user.groups / user.user_permissions, from either side (user.groups.add, group.user_set.add)."""
    if action == "pre_clear":
        # clear() tells no pks afterwards: note them now.
        if reverse:
            instance._staff_cleared = list(instance.user_set.values_list("pk", flat=True))
        else:
            related = instance.groups if sender is User.groups.through else instance.user_permissions
            instance._staff_cleared = list(related.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = set(instance.__dict__.pop("_staff_cleared", []) if action == "post_clear" else pk_set or ())
    if not pks:
        return
    key = "added" if action == "post_add" else "removed"
    if reverse:  # instance is the group or permission; pks are users
        name = _names(type(instance), [instance.pk])
        for user_id, username in User.objects.filter(pk__in=pks).values_list("pk", "username"):
            events.staff_roles_changed(None, user_id, username, **{"added": [], "removed": [], key: name})
    else:
        events.staff_roles_changed(None, instance.pk, instance.get_username(),
                                   **{"added": [], "removed": [], key: _names(model, pks)})


def _group_permissions(sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any,
                       **kwargs: Any) -> None:
    if action == "pre_clear":
        instance._staff_cleared = list(
            (instance.permissions if not reverse else instance.group_set).values_list("pk", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = set(instance.__dict__.pop("_staff_cleared", []) if action == "post_clear" else pk_set or ())
    if not pks:
        return
    key = "added" if action == "post_add" else "removed"
    groups = Group.objects.filter(pk__in=pks) if reverse else [instance]
    permissions = [instance.pk] if reverse else pks
    names = [n.removeprefix("permission:") for n in _names(Permission, permissions)]
    for group in groups:
        events.role_changed(None, group.name, "permissions", **{key: names})


def _group_before(sender: Any, instance: Group, **kwargs: Any) -> None:
    instance._staff_name = (  # type: ignore[attr-defined]
        Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first() if instance.pk else None
    )


def _group_saved(sender: Any, instance: Group, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_staff_name", None)
    if created:
        events.role_changed(None, instance.name, "created")
    elif old is not None and old != instance.name:
        events.role_changed(None, instance.name, "renamed", old_name=old)


def _group_deleting(sender: Any, instance: Group, **kwargs: Any) -> None:
    # Deleting a group drops its members' rows without m2m signals: name them in the event.
    members = sorted(instance.user_set.values_list("username", flat=True))
    events.role_changed(None, instance.name, "deleted", members=members)


def _employer_role(staff: EmployerStaff, employer_id: int, is_admin: bool) -> list[str]:
    uscc = Employer.objects.filter(pk=employer_id).values_list("uscc", flat=True).first() or str(employer_id)
    return [f"employer:{uscc}"] + ([f"employer_admin:{uscc}"] if is_admin else [])


def _employer_staff_before(sender: Any, instance: EmployerStaff, **kwargs: Any) -> None:
    instance._staff_before = (  # type: ignore[attr-defined]
        EmployerStaff.objects.filter(pk=instance.pk).values("employer_id", "is_admin").first() if instance.pk else None
    )


def _employer_staff_saved(sender: Any, instance: EmployerStaff, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_staff_before", None)
    new = _employer_role(instance, instance.employer_id, instance.is_admin)
    old = _employer_role(instance, before["employer_id"], before["is_admin"]) if before else []
    added, removed = [r for r in new if r not in old], [r for r in old if r not in new]
    if added or removed:
        events.staff_roles_changed(None, instance.user_id, instance.user.get_username(), added=added, removed=removed)


def _employer_staff_deleted(sender: Any, instance: EmployerStaff, **kwargs: Any) -> None:
    username = User.objects.filter(pk=instance.user_id).values_list("username", flat=True).first() or ""
    events.staff_roles_changed(None, instance.user_id, username, added=[],
                               removed=_employer_role(instance, instance.employer_id, instance.is_admin))


def _device_before(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    instance._staff_before = (  # type: ignore[attr-defined]
        TOTPDevice.objects.filter(pk=instance.pk).values("key", "confirmed", "user_id").first() if instance.pk else None
    )


def _device_saved(sender: Any, instance: TOTPDevice, created: bool, **kwargs: Any) -> None:
    """Verifying a code saves the device too (drift, throttling): only a new secret or a binding is a change."""
    before = getattr(instance, "_staff_before", None)
    if before is None:
        change = "enrolled" if instance.confirmed else ""
    elif before["user_id"] != instance.user_id or before["key"] != instance.key:
        change = "replaced"
    elif before["confirmed"] != instance.confirmed:
        change = "enrolled" if instance.confirmed else "unconfirmed"
    else:
        change = ""
    if change:
        events.staff_authenticator_changed(None, instance.user_id, instance.user.get_username(), change)


def _device_deleted(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    if instance.confirmed:
        username = User.objects.filter(pk=instance.user_id).values_list("username", flat=True).first() or ""
        events.staff_authenticator_changed(None, instance.user_id, username, "removed")


def connect() -> None:
    uid = "jianli.accounts.staff"
    pre_save.connect(_user_before, sender=User, dispatch_uid=f"{uid}.user_before")
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user_saved")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid=f"{uid}.user_deleted")
    m2m_changed.connect(_user_m2m, sender=User.groups.through, dispatch_uid=f"{uid}.user_groups")
    m2m_changed.connect(_user_m2m, sender=User.user_permissions.through, dispatch_uid=f"{uid}.user_permissions")
    m2m_changed.connect(_group_permissions, sender=Group.permissions.through, dispatch_uid=f"{uid}.group_perms")
    pre_save.connect(_group_before, sender=Group, dispatch_uid=f"{uid}.group_before")
    post_save.connect(_group_saved, sender=Group, dispatch_uid=f"{uid}.group_saved")
    pre_delete.connect(_group_deleting, sender=Group, dispatch_uid=f"{uid}.group_deleting")
    pre_save.connect(_employer_staff_before, sender=EmployerStaff, dispatch_uid=f"{uid}.es_before")
    post_save.connect(_employer_staff_saved, sender=EmployerStaff, dispatch_uid=f"{uid}.es_saved")
    post_delete.connect(_employer_staff_deleted, sender=EmployerStaff, dispatch_uid=f"{uid}.es_deleted")
    pre_save.connect(_device_before, sender=TOTPDevice, dispatch_uid=f"{uid}.device_before")
    post_save.connect(_device_saved, sender=TOTPDevice, dispatch_uid=f"{uid}.device_saved")
    post_delete.connect(_device_deleted, sender=TOTPDevice, dispatch_uid=f"{uid}.device_deleted")

