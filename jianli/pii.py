"""Personal data at rest: authenticated encryption (AES-256-GCM) with a key ring, and keyed lookup hashes.

JIANLI_PII_KEY is "kid:base64key[,kid:base64key...]". The first (newest) key encrypts; any key in the ring
decrypts; every ciphertext starts with its key id. A key is rotated by putting a new one first, deploying, and
re-encrypting everything (`jianli rotate-pii`) before the old key leaves the ring.

Lookup hashes (HMAC-SHA256) use their own key, JIANLI_PII_LOOKUP_KEY: rotating the encryption keys never
changes them, so columns such as `id_hash` and the qualification roster's hashes stay valid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import uuid
from functools import cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}", re.ASCII)


class UnknownKey(ImproperlyConfigured):
    """A ciphertext names a key that is not (or no longer) in JIANLI_PII_KEY."""


def _decode_key(b64: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes in URL-safe base64")
    return key


class KeyRing:
    def __init__(self, spec: str) -> None:
        self.keys: dict[str, bytes] = {}
        for item in spec.split(","):
            kid, sep, b64 = item.strip().partition(":")
            if not sep or not KEY_ID.fullmatch(kid):
                raise ImproperlyConfigured(
                    "JIANLI_PII_KEY must be 'kid:base64key[,kid:base64key...]' (kid: letters, digits, - or _)"
                )
            self.keys[kid] = _decode_key(b64, f"JIANLI_PII_KEY key {kid!r}")
        self.primary = next(iter(self.keys))
        # One cipher per key, kept: building AESGCM costs more than decrypting an ID number with it.
        self.ciphers = {kid: AESGCM(key) for kid, key in self.keys.items()}

    def encrypt(self, plaintext: bytes, purpose: str) -> bytes:
        nonce = os.urandom(12)
        sealed = self.ciphers[self.primary].encrypt(nonce, plaintext, purpose.encode())
        return self.primary.encode() + b":" + nonce + sealed

    def decrypt(self, token: bytes, purpose: str) -> bytes:
        kid, _, rest = token.partition(b":")
        cipher = self.ciphers.get(kid.decode(errors="replace"))
        if cipher is None:
            raise UnknownKey(f"密钥 {kid[:16].decode(errors='replace')!r} 不在 JIANLI_PII_KEY 中")
        return cipher.decrypt(rest[:12], rest[12:], purpose.encode())

    def key_id(self, token: bytes) -> str:
        return token.partition(b":")[0].decode()


@cache
def _ring(spec: str) -> KeyRing:
    return KeyRing(spec)


def ring() -> KeyRing:
    return _ring(settings.PII_KEYS)


@cache
def _lookup_key(b64: str, ring_spec: str) -> bytes:
    key = _decode_key(b64, "JIANLI_PII_LOOKUP_KEY")
    if key in _ring(ring_spec).keys.values():
        raise ImproperlyConfigured("JIANLI_PII_LOOKUP_KEY must not be one of the JIANLI_PII_KEY keys")
    return key


def encrypt_text(value: str, purpose: str) -> str:
    token = ring().encrypt(value.encode(), purpose)
    kid, _, rest = token.partition(b":")
    return kid.decode() + ":" + base64.b64encode(rest).decode()


def decrypt_text(value: str, purpose: str) -> str:
    kid, _, rest = value.partition(":")
    return ring().decrypt(kid.encode() + b":" + base64.b64decode(rest), purpose).decode()


def encrypt_bytes(data: bytes, purpose: str) -> bytes:
    return ring().encrypt(data, purpose)


def decrypt_bytes(data: bytes, purpose: str) -> bytes:
    return ring().decrypt(data, purpose)


def lookup_hash(value: str) -> str:
    return hmac.new(_lookup_key(settings.PII_LOOKUP_KEY, settings.PII_KEYS), value.encode(), hashlib.sha256).hexdigest()


# Where the encrypted files of each purpose are stored (a folder holds files of one purpose only).
FOLDERS = {
    "applicant.id_photo": "photos", "profile.avatar": "avatars", "attachment": "attachments",
    "certificate.pdf": "certificates", "document.pdf": "documents",
}


def save_file(data: bytes, purpose: str) -> str:
    """Store `data` encrypted under a new name that carries the key id, so `rotate-pii` can find stale files in SQL."""
    current = ring()
    return default_storage.save(
        f"{FOLDERS[purpose]}/{uuid.uuid4().hex}.{current.primary}.bin", ContentFile(current.encrypt(data, purpose))
    )


def file_suffix() -> str:
    """How the names of files encrypted with the newest key end."""
    return f".{ring().primary}.bin"


# Avatars were stored as plain JPEG files named .jpg before they were encrypted; `rotate-pii` (and the
# migration accounts.0005) encrypt what is left of them.
LEGACY_PLAIN = {"profile.avatar": ".jpg"}


def is_legacy_plain(path: str, purpose: str) -> bool:
    return purpose in LEGACY_PLAIN and path.endswith(LEGACY_PLAIN[purpose])


def read_file(path: str, purpose: str) -> bytes:
    with default_storage.open(path, "rb") as f:
        data = f.read()
    return data if is_legacy_plain(path, purpose) else decrypt_bytes(data, purpose)


class EncryptedTextField(models.TextField):
    """A text column that holds only ciphertext; Python sees the plaintext."""

    def __init__(self, *args: Any, purpose: str = "", **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        return value if value in (None, "") else decrypt_text(value, self.purpose)

    def get_prep_value(self, value: object) -> object:
        return value if value in (None, "") else encrypt_text(str(value), self.purpose)
