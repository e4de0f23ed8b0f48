# Jianli: `make run` serves the embedded demo; `make test` runs every test.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint install lock browser pdf fuzz screenshots clean nginx topology topology-down faults miniprogram node miniprogram-screenshots bench

# Development and tests: requirements-dev.lock (the runtime lock plus test tools, all with hashes).
# A production host installs requirements.lock only and runs from the checkout (README: The locks).
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements-dev.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Regenerates both locks from pyproject.toml (runtime: [project] dependencies; dev: plus the `test` extra),
# keeping every pin already in them; `make lock UPGRADE="--upgrade-package NAME"` moves one package.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --quiet --python-version 3.11 --generate-hashes $(UPGRADE)
lock:
	test -x $(VENV)/bin/uv || $(MAKE) install
	$(LOCK) -o requirements.lock
	$(LOCK) --extra test -c requirements.lock -o requirements-dev.lock

run: install pdf
	$(PY) -m jianli migrate --noinput -v 0
	@echo "== Demo logins =="
	$(PY) -m jianli demo
	@echo "== Open http://127.0.0.1:8000 (phone size recommended) =="
	$(PY) -m jianli serve

# Browser tests need Debian's Chromium, a Chinese font for screenshots, and ffmpeg for the fake camera.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v ffmpeg >/dev/null 2>&1 && fc-list :lang=zh | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ffmpeg fonts-noto-cjk >/dev/null)

# Certificates and documents are PDFs in a TrueType Chinese font (reportlab embeds TrueType, not Noto CJK's CFF);
# the tests read them back with poppler's pdftoppm/pdftotext and zbar's zbarimg (the QR code).
pdf:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc && command -v zbarimg >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei zbar-tools poppler-utils >/dev/null) || \
	  echo "install fonts-wqy-microhei (or set JIANLI_CERTIFICATE_FONT) to make certificate PDFs"

# The production topology on this machine (docs/topology.md), in production mode: nginx → two `jianli web` →
# PostgreSQL primary and streaming replica, Redis, an S3-compatible store, `jianli worker`, `jianli scheduler`, and
# stand-ins for Tencent Cloud SMS and FaceID. Needs Debian's nginx, PostgreSQL 15 and redis-server.
nginx:
	@command -v nginx >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 && test -x /usr/lib/postgresql/15/bin/initdb || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light redis-server postgresql-15 >/dev/null)

topology: install nginx
	PY=$(abspath $(PY)) deploy/topology.sh up

topology-down:
	PY=$(abspath $(PY)) deploy/topology.sh down

# Faults under a stream of submissions through nginx (kill -9 an app worker, restart the primary, stop the task
# worker, stop Redis); prints `acknowledged N, stored N, lost 0, duplicated 0` per fault. FAULT_SECONDS per fault.
FAULT_SECONDS ?= 6
faults: topology
	PY=$(abspath $(PY)) $(PY) deploy/faults.py --seconds $(FAULT_SECONDS)

# The pictures of 操作手册 (static/manual/*.png) and of docs/ (review console, documents, certificate), taken by browser
# tests from the running service (demo data only); without JIANLI_SCREENSHOTS those tests write to artifacts/.
screenshots: install browser pdf
	JIANLI_SCREENSHOTS=1 $(PY) -m pytest -q -p no:cacheprovider tests/e2e/test_more_screenshots.py \
	  tests/e2e/test_review_day.py tests/e2e/test_after_decision_screens.py tests/e2e/test_certificate.py

# Jianli's pages under the production server against a bare WSGI app running the same SELECTs (bench/README.md):
# seeds 10⁴ applications (BENCH_FULL=1 adds 10⁶) into BENCH_DATABASE_URL, runs Debian's wrk, writes bench/results/.
bench: install pdf
	@command -v wrk >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	@# py-spy samples the server's workers under load (bench/pyspy.py): a tool of the bench, not of the service.
	@test -x $(VENV)/bin/py-spy || $(PY) -m pip install -q py-spy==0.4.3
	$(PY) bench/run.py

test: install browser pdf nginx
	$(PY) -m pytest -q -n auto --maxprocesses=4 --dist loadfile --durations=30
	@# The mini program's tests use their own SQLite server: once per CI run, on the SQLite pass.
	@if [ -z "$$DATABASE_URL" ]; then $(MAKE) miniprogram; fi

node:
	@command -v npm >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null)

# The WeChat mini program (miniprogram/): every page rendered by miniprogram-simulate, and the seed's journey
# through utils/request.js against a Jianli server the test starts (fresh SQLite, the fake face provider).
miniprogram: install node
	cd miniprogram && npm ci --no-audit --no-fund --loglevel=error && PY=$(abspath $(PY)) npm test

# docs/miniprogram/*.png: each page's WXML rendered by j-component into HTML (app.wxss, rpx at 375), captured by
# Chromium at 375×667.
miniprogram-screenshots: install node browser
	rm -rf artifacts/miniprogram-html
	cd miniprogram && npm ci --no-audit --no-fund --loglevel=error && \
	  JIANLI_MP_HTML=$(abspath artifacts/miniprogram-html) npx jest test/screenshots.test.js
	$(PY) miniprogram/test/capture.py artifacts/miniprogram-html docs/miniprogram

# The API against /api/openapi.json with every schemathesis check, on a started throw-away server.
# (`make test` runs the same checks with a few examples per operation: tests/api_contract/test_contract.py.)
MAX_EXAMPLES ?= 100
fuzz: install
	MAX_EXAMPLES=$(MAX_EXAMPLES) PY=$(PY) tests/api_contract/fuzz.sh

lint: install
	$(VENV)/bin/ruff check jianli tests bench
	$(VENV)/bin/mypy jianli

clean:
	rm -rf $(VENV) var artifacts
