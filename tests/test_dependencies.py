"""The locks: production gets only what the service runs on, every pin hashed, every runtime import declared."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLS = {
    "playwright", "scipy", "matplotlib", "mypy", "pytest", "pytest-django", "pytest-xdist", "hypothesis",
    "schemathesis", "scikit-image", "ruff", "django-stubs", "axe-playwright-python", "uv", "python-stdnum",
}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) of a `uv pip compile --generate-hashes` file."""
    pins: dict[str, tuple[str, list[str]]] = {}
    text = path.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        spec, *options = line.split()
        name, version = spec.split("==")
        pins[normalise(name)] = (version, [o.removeprefix("--hash=") for o in options if o.startswith("--hash=")])
    return pins


def declared(extra: str | None = None) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    out = {}
    for spec in specs:
        m = re.match(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)", spec)
        assert m, spec
        out[normalise(m.group(1))] = m.group(3)
    return out


def test_every_pin_of_both_locks_is_hashed():
    for name in ("requirements.lock", "requirements-dev.lock"):
        pins = locked(ROOT / name)
        assert pins, name
        for package, (_version, hashes) in pins.items():
            assert hashes and all(h.startswith("sha256:") for h in hashes), (name, package)


def test_production_lock_has_no_test_tool():
    assert not TEST_TOOLS & set(locked(ROOT / "requirements.lock"))


def test_the_locks_hold_what_pyproject_declares_at_one_version():
    prod, dev = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    for name, spec in declared().items():
        assert name in prod, f"{name} is a runtime dependency missing from requirements.lock (make lock)"
        if spec.startswith("=="):
            assert prod[name][0] == spec[2:], name
    for name, spec in declared("test").items():
        assert name in dev, f"{name} is a test dependency missing from requirements-dev.lock (make lock)"
        if spec.startswith("=="):
            assert dev[name][0] == spec[2:], name
    for name, (version, _) in prod.items():
        assert dev.get(name, (None,))[0] == version, f"{name}: the dev lock must install production's version"


def runtime_imports() -> dict[str, set[str]]:
    """Top-level modules imported by the service's own code (tests, test helpers and guarded optional imports aside)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "jianli").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if any(part.startswith("test") for part in path.relative_to(ROOT / "jianli").parts) or path.name == "conftest.py":
            continue
        tree = ast.parse(path.read_text())
        optional: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                or isinstance(h.type, ast.Tuple) and any(getattr(e, "id", "") == "ImportError" for e in h.type.elts)
                for h in node.handlers
            ):
                optional.update(id(n) for stmt in node.body for n in ast.walk(stmt))
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(rel)
    return found


def test_every_runtime_import_is_a_declared_dependency():
    dists = importlib.metadata.packages_distributions()
    runtime = set(declared())
    missing = []
    for module, files in runtime_imports().items():
        if module == "jianli" or module in sys.stdlib_module_names:
            continue
        owners = {normalise(d) for d in dists.get(module, [])}
        if not owners & runtime:
            missing.append(f"{module} ({', '.join(sorted(owners)) or '?'}) in {', '.join(sorted(files))}")
    assert not missing, "imported at run time but not in [project] dependencies: " + "; ".join(missing)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="builds a venv (about a minute): runs once, in the PostgreSQL pass",
)
def test_a_production_install_imports_and_serves_without_test_tools(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    # --no-compile: byte-compiling every module of every package (botocore alone has thousands) is most of the
    # install's time; the imports below compile what the service loads.
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-compile", "-r", str(ROOT / "requirements.lock")],
                   check=True)
    listed = subprocess.run([python, "-m", "pip", "list", "--format=freeze"], check=True,
                            capture_output=True, text=True).stdout
    installed = {normalise(line.split("==")[0]) for line in listed.splitlines() if "==" in line}
    assert not TEST_TOOLS & installed
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_", "PYTEST"))}
    env["JIANLI_VAR_DIR"] = str(tmp_path / "var")
    serve = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'jianli.settings'); django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "import gunicorn, jianli.wsgi; from django.test import Client\n"
        "c = Client(HTTP_HOST='127.0.0.1'); print(c.get('/healthz').status_code, c.get('/').status_code)\n"
    )
    out = subprocess.run([python, "-c", serve], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    assert out.stdout.split()[-2:] == ["200", "302"], out.stdout + out.stderr
