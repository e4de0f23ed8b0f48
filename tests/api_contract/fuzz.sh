#!/usr/bin/env bash
# `make fuzz`: start a throw-away server and run schemathesis with every check against /api/openapi.json.
# MAX_EXAMPLES per operation (default 60) and PORT (default 8765) may be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8765}
MAX_EXAMPLES=${MAX_EXAMPLES:-60}
WORK=$(mktemp -d)
export JIANLI_VAR_DIR="$WORK" DJANGO_SETTINGS_MODULE=tests.api_contract.fuzz_settings PYTHONPATH="$PWD"
unset DATABASE_URL
mkdir -p artifacts
$PY -m jianli migrate --noinput -v 0
eval "$($PY tests/api_contract/fuzz_setup.py)"
$PY -m jianli runserver "127.0.0.1:$PORT" --noreload --nothreading >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
URL="http://127.0.0.1:$PORT/api/openapi.json"
ST=(.venv/bin/schemathesis --config-file tests/api_contract/schemathesis.toml)
COMMON=(--checks all --max-examples "$MAX_EXAMPLES" --wait-for-schema 30 --request-timeout 30 --suppress-health-check all)
status=0
# Applicant and integration operations (an access token and an API key with every scope).
"${ST[@]}" run "$URL" "${COMMON[@]}" -H "Authorization: Bearer $ACCESS" -H "X-API-Key: $KEY" \
  --exclude-operation-id token_revoke --exclude-path-regex 'face-verifications' \
  --report junit --report-dir artifacts/fuzz-main || status=1
# The operations on one application or face verification, on objects that exist. Positive data only: the
# fixed ids would replace the wrongly typed ids of negative cases (those run in the first pass).
export FUZZ_APPLICATION_ID FUZZ_VERIFICATION_ID
.venv/bin/schemathesis --config-file tests/api_contract/fuzz-objects.toml run "$URL" "${COMMON[@]}" --mode positive \
  -H "Authorization: Bearer $ACCESS" -H "X-API-Key: $KEY" --include-path-regex '\{application_id\}' \
  --report junit --report-dir artifacts/fuzz-objects || status=1
# Face verification with a pending token, then sign-out last (it revokes the access token).
"${ST[@]}" run "$URL" "${COMMON[@]}" -H "Authorization: Bearer $PENDING" \
  --include-path-regex 'face-verifications' --report junit --report-dir artifacts/fuzz-face || status=1
.venv/bin/schemathesis --config-file tests/api_contract/fuzz-objects.toml run "$URL" "${COMMON[@]}" --mode positive \
  -H "Authorization: Bearer $PENDING" --include-path-regex 'face-verifications' \
  --report junit --report-dir artifacts/fuzz-face-objects || status=1
"${ST[@]}" run "$URL" "${COMMON[@]}" -H "Authorization: Bearer $ACCESS" --include-operation-id token_revoke \
  --report junit --report-dir artifacts/fuzz-revoke || status=1
echo "== server errors logged: $(grep -c 'Internal Server Error' "$WORK/server.log" || true)"
echo "== requests served: $(grep -c '" [0-9][0-9][0-9] ' "$WORK/server.log" || true)"
exit $status
