"""Personal data at rest: authenticated encryption (AES-256-GCM) with a key ring, and keyed lookup hashes.

JIANLI_PII_KEY is "kid:base64key[,kid:base64key...]". The first key encrypts; any key in the ring decrypts,
so a key can be rotated by putting a new one first and re-encrypting (`jianli rotate-pii`). The last key of
the ring also keys the lookup hash (HMAC-SHA256), so lookups keep working across rotations.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class KeyRing:
    def __init__(self, spec: str) -> None:
        self.keys: dict[str, bytes] = {}
        for item in spec.split(","):
            kid, sep, b64 = item.strip().partition(":")
            if not sep or not kid:
                raise ImproperlyConfigured("JIANLI_PII_KEY must be 'kid:base64key[,kid:base64key...]'")
            key = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
            if len(key) != 32:
                raise ImproperlyConfigured(f"JIANLI_PII_KEY key {kid!r} must be 32 bytes")
            self.keys[kid] = key
        self.primary = next(iter(self.keys))
        self.hash_key = hashlib.sha256(b"jianli-lookup:" + list(self.keys.values())[-1]).digest()

    def encrypt(self, plaintext: bytes, purpose: str) -> bytes:
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.primary]).encrypt(nonce, plaintext, purpose.encode())
        return self.primary.encode() + b":" + nonce + sealed

    def decrypt(self, token: bytes, purpose: str) -> bytes:
        kid, _, rest = token.partition(b":")
        return AESGCM(self.keys[kid.decode()]).decrypt(rest[:12], rest[12:], purpose.encode())

    def key_id(self, token: bytes) -> str:
        return token.partition(b":")[0].decode()


@cache
def _ring(spec: str) -> KeyRing:
    return KeyRing(spec)


def ring() -> KeyRing:
    return _ring(settings.PII_KEYS)


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
    return hmac.new(ring().hash_key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column that holds only ciphertext; Python sees the plaintext."""

    def __init__(self, *args, purpose: str = "", **kwargs):  # type: ignore[no-untyped-def]
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        return None if value in (None, "") else decrypt_text(value, self.purpose)

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        return value if value in (None, "") else encrypt_text(str(value), self.purpose)
