from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm

from accounts.models import User


class SignUpForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")
        labels = {"name": "Your name"}

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        # The case-insensitive unique constraint guards this; here it gets a friendly message.
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists. Log in instead?")
        return email


class LoginForm(AuthenticationForm):
    """Django's login form; its `username` field (the email) is what django-axes locks."""

    username = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class EmailPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str):
        """The account of that email in any spelling, as the login finds it."""
        users = User.objects.filter(email=User.objects.normalize_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())
