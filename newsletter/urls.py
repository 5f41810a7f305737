from django.urls import path

from newsletter import follow_views, views

urlpatterns = [
    path("digest/", views.digest_page, name="digest"),
    path("digest/subscribe/", views.subscribe, name="digest_subscribe"),
    path("digest/consent/", views.consent, name="digest_consent"),
    path("digest/confirm/<str:token>/", views.confirm, name="digest_confirm"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="digest_unsubscribe"),
    path("digest/archive/", views.archive, name="digest_archive"),
    path("digest/archive/<int:pk>/", views.archive_detail, name="digest_archive_detail"),
    path("follow/", follow_views.follow, name="follow"),
    path("follow/confirm/<str:token>/", follow_views.confirm, name="follow_confirm"),
    path("follow/manage/<str:token>/", follow_views.manage, name="follow_manage"),
    path("follow/stop/<str:token>/", follow_views.stop, name="follow_stop"),
    path("feed/changes/", views.ChangesFeed(), name="changes_feed"),
]
