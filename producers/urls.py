from django.urls import path

from producers import views

app_name = "producers"

urlpatterns = [
    path("<int:pk>/", views.producer_detail, name="producer-detail"),
    path("mine/", views.my_producers, name="my-producers"),
    path("mine/<int:pk>/linkage/", views.benefit_linkage_edit, name="benefit-linkage-edit"),
    path("apply/", views.application_create, name="apply"),
    path("applications/", views.my_applications, name="my-applications"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/documents/<str:document>/",
        views.application_document,
        name="application-document",
    ),
    path("review/county/", views.county_queue, name="county-queue"),
    path("review/county/<int:pk>/", views.county_review, name="county-review"),
    path("review/platform/", views.platform_queue, name="platform-queue"),
    path("review/platform/<int:pk>/", views.platform_review, name="platform-review"),
]
