from django.urls import path

from jianli.api.api import api

urlpatterns = [path("", api.urls)]
