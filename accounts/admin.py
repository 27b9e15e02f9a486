from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db.models import Model
from django.http import HttpRequest
from rest_framework_simplejwt.token_blacklist.admin import BlacklistedTokenAdmin, OutstandingTokenAdmin
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import User
from accounts.services import AccountError, user_create


class UserCreationAdminForm(AdminUserCreationForm):
    """Creates the user through `user_create`, while the form is validated.

    The admin saves only once the form is valid, so creating later could not
    show a taken email (even one taken by a concurrent sign-up) as a form error.
    """

    class Meta:
        model = User
        fields = ("email", "name")

    def _get_validation_exclusions(self) -> set[str]:
        # Whether the email is taken is user_create's call, not the model form's.
        return {*super()._get_validation_exclusions(), "email"}

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.instance = user_create(
                email=data["email"],
                name=data["name"],
                password=data["password1"] if data["set_usable_password"] else None,
            )
        except AccountError as error:
            error.add_to_form(self)

    def save(self, commit: bool = True) -> User:
        # user_create saved it, password and all: skip the user form's second hashing
        # and let ModelForm's save only ready save_m2m, which the admin calls.
        return forms.ModelForm.save(self, commit=False)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationAdminForm
    list_display = ("email", "name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "name")
    ordering = ("email",)
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "name", "usable_password", "password1", "password2")},
        ),
    )

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if change:  # an added user was created by its form
            super().save_model(request, obj, form, change)


class ReadOnlyTokenAdmin:
    """simplejwt's token lists, for reading only, even by superusers.

    Deleting a blacklist entry (or the outstanding token under it) would make a
    revoked refresh token work again; adding or editing one forges history.
    """

    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class OutstandingTokenReadOnlyAdmin(ReadOnlyTokenAdmin, OutstandingTokenAdmin):
    pass


class BlacklistedTokenReadOnlyAdmin(ReadOnlyTokenAdmin, BlacklistedTokenAdmin):
    pass


for model, model_admin in (
    (OutstandingToken, OutstandingTokenReadOnlyAdmin),
    (BlacklistedToken, BlacklistedTokenReadOnlyAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
