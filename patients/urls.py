from django.urls import path

from patients.views import assessment, labs, plans, records

app_name = "patients"
urlpatterns = [
    path("", records.patient_list, name="list"),
    path("new/", records.patient_register, name="register"),
    path("<int:pk>/", records.patient_overview, name="overview"),
    path("<int:pk>/edit/", records.patient_edit, name="edit"),
    path("<int:pk>/record/<slug:kind>/", records.record, name="record"),
    path("<int:pk>/treatment-lines/<int:line_pk>/", records.treatment_line_edit, name="treatment_line_edit"),
    path("<int:pk>/labs/panel/", labs.lab_panel, name="lab_panel"),
    path("<int:pk>/labs/<int:lab_pk>/", labs.lab_result_edit, name="lab_edit"),
    path("<int:pk>/labs/<int:lab_pk>/delete/", labs.lab_result_delete, name="lab_delete"),
    path("<int:pk>/history/", records.patient_history, name="history"),
    path("<int:pk>/assessment/", assessment.patient_assessment, name="assessment"),
    path("<int:pk>/responses/", assessment.patient_responses, name="responses"),

    path("<int:pk>/plans/", plans.plan_list, name="plan_list"),
    path("<int:pk>/plans/new/", plans.plan_new, name="plan_new"),
    path("<int:pk>/plans/<int:plan_pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:pk>/plans/<int:plan_pk>/issue/", plans.plan_issue, name="plan_issue"),
    path("<int:pk>/plans/<int:plan_pk>/verify/", plans.plan_verify, name="plan_verify"),
    path("<int:pk>/plans/<int:plan_pk>/revise/", plans.plan_revise, name="plan_revise"),
    path("<int:pk>/plans/<int:plan_pk>/return/", plans.plan_return, name="plan_return"),
    path("<int:pk>/plans/<int:plan_pk>/cancel/", plans.plan_cancel, name="plan_cancel"),
    path("<int:pk>/plans/<int:plan_pk>/end/", plans.plan_end, name="plan_end"),
    path("<int:pk>/plans/<int:plan_pk>/dosing-sheet.pdf", plans.plan_sheet_pdf, name="plan_sheet_pdf"),
    path("<int:pk>/plans/<int:plan_pk>/calendar.pdf", plans.plan_calendar_pdf, name="plan_calendar_pdf"),
]
