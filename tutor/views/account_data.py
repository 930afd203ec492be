"""The learner's data from the settings page: download a copy, or delete the account
(after typing the password again). The same services as the API's (tutor.services.account)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tutor.account_forms import AccountDeleteForm
from tutor.api.account_data import export_response
from tutor.services.account import delete_account


@login_required
@require_GET
def export_data(request: HttpRequest) -> FileResponse:
    return export_response(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_page(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_account(user=request.user)
        logout(request)
        # After logging out: logging out empties the session the message would be kept in.
        messages.success(request, _("Your account and all your data are deleted. Goodbye!"))
        return redirect("home")
    return render(request, "tutor/account_delete.html", {"form": form, "nav": "settings"})
