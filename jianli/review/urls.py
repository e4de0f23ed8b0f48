from django.urls import path

from jianli.review import case, dashboard, documents, ratings, records, views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("login/", views.login, name="login"),
    path("enrol/", views.enrol, name="enrol"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password, name="password"),
    path("audit/", records.audit, name="audit"),
    path("stats/", dashboard.dashboard, name="stats"),
    path("ratings/", ratings.ministry, name="ratings"),
    path("ratings/<int:pk>/close/", ratings.close, name="rating_close"),
    path("search/", views.find, name="search"),
    path("next/", views.claim_next, name="claim_next"),
    path("bulk/", views.bulk, name="bulk"),
    path("team/", views.team, name="team"),
    path("session/extend/", views.extend_session, name="extend_session"),
    path("export/queue.xlsx", records.export_queue, name="export_queue"),
    path("export/register.xlsx", records.export_register, name="export_register"),
    path("applications/<str:number>/", case.detail, name="detail"),
    path("applications/<str:number>/attachments/<int:pk>/", case.attachment, name="attachment"),
    path("applications/<str:number>/documents/<str:kind>.pdf", documents.download, name="document"),
    path("applications/<str:number>/claim/", case.claim, name="claim"),
    path("applications/<str:number>/release/", case.release, name="release"),
    path("applications/<str:number>/reassign/", case.reassign, name="reassign"),
    path("applications/<str:number>/correction/", case.correction, name="correction"),
    path("applications/<str:number>/approve/", case.approve, name="approve"),
    path("applications/<str:number>/reject/", case.reject, name="reject"),
    path("applications/<str:number>/second-look/", case.second_look, name="second_look"),
]
