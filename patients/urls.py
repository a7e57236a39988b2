from django.urls import path

from patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_register, name="register"),
    path("<int:pk>/", views.patient_overview, name="overview"),
    path("<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("<int:pk>/treatment-lines/<int:line_pk>/", views.treatment_line_edit, name="treatment_line_edit"),
    path("<int:pk>/history/", views.patient_history, name="history"),
    path("<int:pk>/assessment/", views.patient_assessment, name="assessment"),
    path("<int:pk>/responses/", views.patient_responses, name="responses"),
]
