from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import EmailPasswordResetForm, SignUpForm
from accounts.services import AccountError, user_create
from accounts.throttles import PasswordResetAddressThrottle, PasswordResetEmailThrottle, RegisterThrottle


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        throttle = RegisterThrottle()
        if not throttle.allows(request):
            form.add_error(
                None,
                _("Too many sign-ups from your network. Please try again in %(minutes)s min.")
                % {"minutes": throttle.minutes_to_wait()},
            )
        elif form.is_valid():
            try:
                user = user_create(
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                )
            except AccountError as error:
                error.add_to_form(form)
            else:
                # Two backends are configured (axes first): say which one vouches for the new user.
                login(request, user, backend="accounts.backends.ModelBackend")
                messages.success(
                    request, _("Welcome, %(name)s! Your account is ready.") % {"name": user.name}
                )
                return redirect(_safe_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with reset e-mails limited per client address and per email.

    Over a limit it sends nothing but answers exactly as it does otherwise, so
    the answer tells nothing about the limits or the accounts.
    """

    form_class = EmailPasswordResetForm

    def form_valid(self, form) -> HttpResponse:
        allowed = PasswordResetAddressThrottle().allows(self.request) and (
            PasswordResetEmailThrottle(form.cleaned_data["email"]).allows(self.request)
        )
        if allowed:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
