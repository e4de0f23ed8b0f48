from django.urls import path

from jianli.office import views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("enrol/", views.enrol, name="enrol"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password, name="password"),
    path("applications/<str:number>/", views.detail, name="detail"),
    path("applications/<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("applications/<str:number>/report/", views.report, name="report"),
    path("applications/<str:number>/return/", views.return_, name="return"),
    path("engineers/", views.engineers, name="engineers"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/reset/", views.staff_reset, name="staff_reset"),
]
