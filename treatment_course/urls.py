from django.urls import path

from treatment_course import views

app_name = "course"
urlpatterns = [
    path("patients/<int:pk>/plans/<int:plan_pk>/release/", views.next_release, name="next_release"),
    path("patients/<int:pk>/plans/<int:plan_pk>/cycles/<int:cycle>/release/", views.cycle_release,
         name="cycle_release"),
    path("patients/<int:pk>/plans/<int:plan_pk>/administrations/<int:item>/", views.administration,
         name="administration"),
    path("patients/<int:pk>/plans/<int:plan_pk>/administrations/<int:item>/confirm/<int:record_pk>/",
         views.confirm_administration, name="confirm_administration"),
    path("patients/<int:pk>/plans/<int:plan_pk>/modify/", views.modify_plan, name="modify_plan"),
    path("patients/<int:pk>/plans/<int:plan_pk>/course/", views.plan_course, name="plan_course"),
    path("today/", views.todays_treatments, name="today"),
    path("worklist/physician/", views.physician_worklist, name="physician_worklist"),
    path("worklist/pharmacist/", views.pharmacist_worklist, name="pharmacist_worklist"),
    path("patients/<int:pk>/progression/<int:proposal_pk>/decision/", views.progression_decision,
         name="progression_decision"),
]
