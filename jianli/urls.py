from django.contrib import admin
from django.urls import include, path

from jianli.accounts import operators
from jianli.notifications.views import sms_receipt
from jianli.ops import views as ops_views

handler500 = "jianli.ops.views.server_error"

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("sms/receipts/<str:provider>/<str:token>", sms_receipt, name="sms_receipt"),
    # The consoles by their prefixes first: a request to one of them tries one pattern, not the portal's forty.
    path("api/", include("jianli.api.urls")),
    path("office/", include("jianli.office.urls")),
    path("review/", include("jianli.review.urls")),
    path("ops/admin/", admin.site.urls),
    path("ops/", include(operators.urls)),
    path("", include("jianli.portal.urls")),
    path("", include("jianli.identity.urls")),
]
