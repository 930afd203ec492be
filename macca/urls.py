from django.contrib import admin
from django.urls import path

from tutor import views

admin.site.site_header = "Macca administration"
admin.site.site_title = "Macca admin"
admin.site.index_title = "Lessons, learners and practice"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
]
