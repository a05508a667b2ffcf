from django.urls import path

from regions import views

urlpatterns = [
    path("<int:pk>/children/", views.region_children, name="region-children"),
    path("key-counties/", views.key_counties, name="region-key-counties"),
    path("key-counties/toggle/", views.key_county_toggle, name="region-key-county-toggle"),
]
