from django.urls import path

from regions import views

urlpatterns = [
    path("<int:pk>/children/", views.region_children, name="region-children"),
]
