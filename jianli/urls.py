from django.contrib import admin
from django.urls import include, path

from jianli.accounts import operators

urlpatterns = [
    path("", include("jianli.portal.urls")),
    path("", include("jianli.identity.urls")),
    path("api/", include("jianli.api.urls")),
    path("office/", include("jianli.office.urls")),
    path("review/", include("jianli.review.urls")),
    path("ops/admin/", admin.site.urls),
    path("ops/", include(operators.urls)),
]
