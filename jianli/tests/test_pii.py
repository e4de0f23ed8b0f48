from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from jianli.pii import KeyRing


def _key(b: int) -> str:
    return base64.urlsafe_b64encode(bytes([b]) * 32).decode()


def test_round_trip_and_ciphertext_hides_plaintext():
    ring = KeyRing(f"k1:{_key(1)}")
    token = ring.encrypt(b"110101199003077777", "id")
    assert b"110101199003077777" not in token
    assert ring.decrypt(token, "id") == b"110101199003077777"


def test_same_value_encrypts_differently_each_time():
    ring = KeyRing(f"k1:{_key(1)}")
    assert ring.encrypt(b"x", "id") != ring.encrypt(b"x", "id")


def test_tampering_or_wrong_purpose_is_detected():
    ring = KeyRing(f"k1:{_key(1)}")
    token = bytearray(ring.encrypt(b"secret", "id"))
    with pytest.raises(InvalidTag):
        ring.decrypt(bytes(token), "mobile")
    token[-1] ^= 1
    with pytest.raises(InvalidTag):
        ring.decrypt(bytes(token), "id")


def test_rotation_old_ciphertext_still_decrypts_and_new_uses_new_key():
    old = KeyRing(f"k1:{_key(1)}")
    token = old.encrypt(b"v", "id")
    rotated = KeyRing(f"k2:{_key(2)},k1:{_key(1)}")
    assert rotated.decrypt(token, "id") == b"v"
    assert rotated.key_id(rotated.encrypt(b"v", "id")) == "k2"


def test_bad_key_spec_fails_loudly():
    with pytest.raises(ImproperlyConfigured):
        KeyRing("nokid")
    with pytest.raises(ImproperlyConfigured):
        KeyRing("k1:" + base64.urlsafe_b64encode(b"short").decode())
