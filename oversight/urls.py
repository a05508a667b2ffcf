from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("counties/<int:county_pk>/producers/", views.county_producers, name="county-producers"),
    path("offices/", views.offices, name="offices"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin, name="bulletin"),
    path("bulletins/<int:pk>/status/", views.bulletin_status, name="bulletin-status"),
    path(
        "bulletins/<int:pk>/download.<fmt>",
        views.bulletin_download,
        name="bulletin-download",
    ),
    path("open-data/contracts.json", views.open_contracts, name="open-contracts"),
    path("units/<int:unit_pk>/", views.unit, name="unit"),
]
