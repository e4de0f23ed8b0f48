from django.urls import path

from jianli.portal import apply, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.welcome, name="welcome"),
    path("profile/avatar/", views.avatar, name="avatar"),
    path("services/jianli/", views.catalogue, name="catalogue"),
    path("services/jianli/<str:business_type>/", views.item, name="item"),
    path("services/jianli/<str:business_type>/start/", views.start, name="start"),
    path("check/", views.check, name="check"),
    path("register/", views.register, name="register"),
    path("signout/", views.sign_out, name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("session/extend/", views.extend_session, name="extend_session"),
    path("apply/<str:business_type>/", apply.notice, name="apply"),
]
