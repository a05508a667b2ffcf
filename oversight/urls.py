from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("counties/<int:county_pk>/producers/", views.county_producers, name="county-producers"),
    path("offices/", views.offices, name="offices"),
]
