"""The ministry's PAdES signature on electronic certificates and documents (pyhanko).

Production configures the signing key and certificate (PEM files, see README). The demo makes its own test CA
under var/ at first use: a root "演示根证书" and a signing certificate issued by it; documents signed with it
validate against that root only, and the root's name says it is for tests.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

DEMO_DIR_NAME = "certificate-signing"


def demo_dir() -> Path:
    return Path(settings.VAR_DIR) / DEMO_DIR_NAME


def _name(common_name: str, unit: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Jianli 演示（非真实证书）"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def make_demo_ca(target: Path) -> None:
    """A root CA and a document-signing certificate, written to `target` (made atomically: several workers
    may start at once)."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name("Jianli 演示根证书", "测试用根证书")
    root = (
        x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    signer = (
        x509.CertificateBuilder().subject_name(_name("中华人民共和国住房和城乡建设部（演示）", "电子证照签章"))
        .issuer_name(root_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".ca-"))
    pem = serialization.Encoding.PEM
    (work / "ca.pem").write_bytes(root.public_bytes(pem))
    (work / "signer.pem").write_bytes(signer.public_bytes(pem))
    (work / "signer.key").write_bytes(key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    (work / "signer.key").chmod(0o600)
    try:
        os.rename(work, target)
    except OSError:  # another process made it first: use theirs
        for f in work.iterdir():
            f.unlink()
        work.rmdir()


def material() -> tuple[str, str, list[str], bytes | None]:
    """(key file, certificate file, chain files, passphrase) of the configured or the demo signer."""
    if settings.CERTIFICATE_SIGNING_KEY:
        chain = [p for p in settings.CERTIFICATE_SIGNING_CHAIN.split(",") if p]
        passphrase = settings.CERTIFICATE_SIGNING_PASSPHRASE.encode() or None
        return settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_SIGNING_CERT, chain, passphrase
    if not settings.DEMO:
        raise ImproperlyConfigured(
            "JIANLI_CERTIFICATE_SIGNING_KEY and JIANLI_CERTIFICATE_SIGNING_CERT must be set outside the demo"
        )
    target = demo_dir()
    if not (target / "signer.key").exists():
        make_demo_ca(target)
    return str(target / "signer.key"), str(target / "signer.pem"), [str(target / "ca.pem")], None


@lru_cache(maxsize=4)
def _signer(key: str, cert: str, chain: tuple[str, ...], passphrase: bytes | None) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=chain, key_passphrase=passphrase)
    if signer is None:
        raise ImproperlyConfigured("the certificate signing key or certificate cannot be read")
    return signer


def sign_pdf(pdf: bytes, *, reason: str, field_name: str = "MinistrySignature") -> bytes:
    """Add a PAdES (B-B) signature of the ministry to `pdf`."""
    key, cert, chain, passphrase = material()
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, reason=reason,
        location="中华人民共和国住房和城乡建设部", md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=_signer(key, cert, tuple(chain), passphrase))
    return out.getvalue()


def trust_root_pem() -> bytes:
    """The root a verifier trusts: the demo root, or the last file of the configured chain."""
    _, _, chain, _ = material()
    return Path(chain[-1]).read_bytes() if chain else b""
