from django.urls import path

from jianli.portal import apply, certificates, correction, documents, ratings, views
from jianli.portal import more as more_views
from jianli.portal import profile as profile_views
from jianli.portal import progress as progress_views

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
    path("apply/correction/<int:pk>/", correction.page, name="correction"),
    path("apply/<str:business_type>/", apply.notice, name="apply"),
    path("progress/", progress_views.query, name="progress"),
    path("progress/<int:pk>/", progress_views.detail, name="progress_detail"),
    path("progress/<int:pk>/withdraw/", progress_views.withdraw, name="progress_withdraw"),
    path("progress/<int:pk>/documents/<str:kind>.pdf", documents.download, name="document"),
    path("progress/<int:pk>/rating/", ratings.rate, name="rate"),
    path("certificates/", certificates.mine, name="certificates"),
    path("certificates/<str:number>/pdf/", certificates.download, name="certificate_pdf"),
    path("verify/<str:token>", certificates.verify, name="verify"),
    path("engineers/", certificates.register, name="public_register"),
    path("more/", more_views.more, name="more"),
    path("manual/", more_views.manual, name="manual"),
    path("faq/", more_views.faq, name="faq"),
    path("contact/", more_views.contact, name="contact"),
    path("large-text/", more_views.large_text, name="large_text"),
    path("profile/", profile_views.profile, name="profile"),
    path("profile/photo/", profile_views.photo, name="profile_photo"),
    path("apply/<str:business_type>/info/", apply.info, name="apply_info"),
    path("apply/<str:business_type>/autosave/", apply.autosave, name="apply_autosave"),
    path("apply/<str:business_type>/summary/", apply.summary, name="apply_summary"),
    path("applications/<int:application_id>/receipt/", apply.receipt, name="apply_receipt"),
    path("attachments/<int:attachment_id>/", apply.attachment, name="attachment"),
]
