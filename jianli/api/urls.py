from django.urls import path

from jianli.api.api import api
from jianli.api.docs import docs

urlpatterns = [path("docs", docs, name="api_docs"), path("", api.urls)]
