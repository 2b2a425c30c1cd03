from django.urls import include, path

from lists import views as list_views
from observability.metrics import metrics
from operations.views import healthz

# Our own 400 page, which reads no request body (sitewide.bad_requests says why).
handler400 = "sitewide.bad_requests.bad_request"

urlpatterns = [
    path("", list_views.home_page, name="home"),
    path("lists/", include("lists.urls")),
    path("accounts/", include("accounts.urls")),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]
