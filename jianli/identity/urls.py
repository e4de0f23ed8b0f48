from django.urls import path

from jianli.identity import views

app_name = "identity"
urlpatterns = [
    path("face/", views.face, name="face"),
    path("privacy-rules/", views.rules, name="rules"),
    path("face/feedback/", views.feedback, name="feedback"),
]
