from django.urls import path

from patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_register, name="register"),
    path("<int:pk>/", views.patient_overview, name="overview"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("<int:pk>/treatment-lines/<int:line_pk>/", views.treatment_line_edit, name="treatment_line_edit"),
    path("<int:pk>/history/", views.patient_history, name="history"),
    path("<int:pk>/assessment/", views.patient_assessment, name="assessment"),
    path("<int:pk>/responses/", views.patient_responses, name="responses"),

    path("<int:pk>/plans/", views.plan_list, name="plan_list"),
    path("<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("<int:pk>/plans/<int:plan_pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/plans/<int:plan_pk>/issue/", views.plan_issue, name="plan_issue"),
    path("<int:pk>/plans/<int:plan_pk>/verify/", views.plan_verify, name="plan_verify"),
    path("<int:pk>/plans/<int:plan_pk>/revise/", views.plan_revise, name="plan_revise"),
    path("<int:pk>/plans/<int:plan_pk>/cancel/", views.plan_cancel, name="plan_cancel"),
    path("<int:pk>/plans/<int:plan_pk>/dosing-sheet.pdf", views.plan_sheet_pdf, name="plan_sheet_pdf"),
    path("<int:pk>/plans/<int:plan_pk>/calendar.pdf", views.plan_calendar_pdf, name="plan_calendar_pdf"),
]
