from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from tutor.views import media
from tutor.views.home import home

handler400 = "tutor.api.errors.bad_request"
handler404 = "tutor.api.errors.not_found"
handler500 = "tutor.api.errors.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("api/", include("tutor.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switcher posts here
    path("", include("tutor.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Tutor speech, from the storage (local files by default). Learner recordings
    # live under a private prefix and are only served by an authenticated API view.
    prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.append(
        re_path(
            rf"^{prefix}/speech/(?P<key>[0-9a-f]{{64}})\.(?P<extension>ogg|mp3|wav|flac)$",
            media.speech_file,
            name="speech-file",
        )
    )
