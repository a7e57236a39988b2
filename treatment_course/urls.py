from django.urls import path

from treatment_course import views

app_name = "course"
urlpatterns = [
    path("patients/<int:pk>/plans/<int:plan_pk>/release/", views.next_release, name="next_release"),
    path("patients/<int:pk>/plans/<int:plan_pk>/cycles/<int:cycle>/release/", views.cycle_release,
         name="cycle_release"),
    path("patients/<int:pk>/progression/<int:proposal_pk>/decision/", views.progression_decision,
         name="progression_decision"),
]
