from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "监理工程师注册 运维管理"
admin.site.site_title = "Jianli 运维"

urlpatterns = [
    path("", include("jianli.portal.urls")),
    path("", include("jianli.identity.urls")),
    path("api/", include("jianli.api.urls")),
    path("office/", include("jianli.office.urls")),
    path("review/", include("jianli.review.urls")),
    path("ops/admin/", admin.site.urls),
]
