from django.urls import path

from scoring import views

app_name = "scoring"
urlpatterns = [
    path("", views.classification_list, name="list"),
    path("ung-vien/<slug:list_slug>/", views.candidates, name="candidates"),
    path("ho-so/<uuid:public_id>/", views.sheet, name="sheet"),
    path("ho-so/<uuid:public_id>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("ho-so/<uuid:public_id>/<slug:kind_slug>/", views.sheet_enter, name="enter"),
]
