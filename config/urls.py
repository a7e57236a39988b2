from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account
from config import views
from config.api import api_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", account.two_factor, name="two_factor"),
    path("i18n/setlang/", account.set_language, name="set_language"),
    path("patients/", include("patients.urls")),
    path("regimens/", include("regimens.urls")),
    path("course/", include("treatment_course.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls()),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
