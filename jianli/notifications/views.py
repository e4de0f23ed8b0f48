from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jianli.notifications.services import receipts_apply
from jianli.notifications.vendors import RECEIPT_ANSWERS, parse_receipts


@csrf_exempt
@require_POST
def sms_receipt(request: HttpRequest, provider: str, token: str) -> JsonResponse:
    """The vendor's receipt push (回执), at a URL holding JIANLI_SMS_RECEIPT_TOKEN (the vendors sign nothing)."""
    expected = settings.JIANLI_SMS_RECEIPT_TOKEN
    if provider not in RECEIPT_ANSWERS or not expected or not hmac.compare_digest(token, expected):
        raise Http404
    try:
        payload = json.loads(request.body or b"[]")
    except ValueError:
        return JsonResponse({"code": "invalid", "message": "回执格式不正确。"}, status=400)
    receipts_apply(provider=provider, receipts=parse_receipts(provider, payload))
    return JsonResponse(RECEIPT_ANSWERS[provider])
