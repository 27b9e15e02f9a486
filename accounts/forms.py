from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cinema.mail import mail_queue


class SignUpForm(SetPasswordMixin, forms.Form):
    """The sign-up's input; whether the email is taken is `user_create`'s call."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean(self) -> dict:
        self.validate_passwords()
        cleaned = super().clean()
        # The similarity validator compares the password with the email and name.
        self.validate_password_for_user(User(email=cleaned.get("email", ""), name=cleaned.get("name", "")))
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form; its `username` field (the email) is what django-axes locks."""

    username = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class EmailPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str):
        """The account of that email in any spelling, as the login finds it."""
        users = User.objects.filter(email=User.objects.normalize_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        """Through the outgoing-mail queue, as every mail of the site: sent by the worker, retried."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        text = render_to_string(email_template_name, context)
        mail_queue(to=to_email, subject=subject, kind="password_reset", text=text, html=html)
