"""The vendors' local stand-ins for the topology (deploy/topology.sh runs this as its supervised `vendors` process):
Tencent Cloud SMS on SMS_PORT and Tencent FaceID on FACE_PORT, the same fakes the unit tests use, checking each
request's TC3-HMAC-SHA256 signature. The service runs in production mode against them, as against the vendors.

    python tests/topology/vendors.py SMS_PORT FACE_PORT     # in the topology's environment (for jianli's settings)

GET http://127.0.0.1:SMS_PORT/sent lists every SMS the gateway accepted (the codes a phone would have received).
"""

from __future__ import annotations

import os
import sys
import threading
from http.server import ThreadingHTTPServer

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")
django.setup()

from jianli.identity.tests.fakes import FakeState, _Tencent  # noqa: E402
from jianli.notifications.tests.fakes import FakeVendor  # noqa: E402

sms = FakeVendor("tencent", int(sys.argv[1]))
face = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), type("Tencent", (_Tencent,), {"state": FakeState()}))
face.daemon_threads = True
threading.Thread(target=face.serve_forever, daemon=True).start()
print(f"Tencent Cloud SMS on {sms.url}, FaceID on http://127.0.0.1:{face.server_port}/", flush=True)
sms.serve_forever()
