"""Admin pieces every app's ModelAdmins share; a kernel module (it imports no app).

A refused write is shown, never a 500 nor a success (`ServiceAdmin`); a date
outside the calendar in a date hierarchy is a bad filter (`SafeDateHierarchy`);
pages of read-only data offer no Save (`ReadOnlyPages`); every date reads alike
(`admin_datetime`). The kernel's own table, the outgoing e-mails, is listed here
for staff to see failures and re-send them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.views.main import ChangeList
from django.db import router
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext

from cinema.errors import DomainError
from cinema.mail import mail_resend
from cinema.models import OutgoingMail

REFUSAL = "_service_refusal"

# One format for every date and time in the admin: 24-hour, in the theater's time zone.
# In the active language's names of days and months (Django's date format syntax).
ADMIN_DATETIME_FORMAT = gettext_lazy("D d M Y, H:i")


def admin_datetime(value: datetime | None) -> str:
    """`value` as staff read it everywhere in the admin ("Tue 01 Dec 2026, 19:30"); "-" when unset."""
    if value is None:
        return "-"
    local = timezone.localtime(value, timezone.get_default_timezone())
    return date_format(local, str(ADMIN_DATETIME_FORMAT))


class ReadOnlyPages:
    """ModelAdmin mixin for data staff see but do not edit field by field (bookings,
    holds): its page offers no Save buttons, while the change permission still
    gates what staff may do to it (its actions, a cancel button)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose `save_model` and `delete_model` call services that may refuse.

    A refusal (`DomainError`) raised while saving shows the form again with the
    input kept and the refusal on it; one raised while deleting goes back to the
    object with the refusal as an error message. Either way the admin's
    transaction is rolled back, so no history entry and no "successfully" is left.
    A subclass's `delete_model` calls a service that turns the database's
    protection of history (`ProtectedError`) into a `DomainError`.
    Deleting in bulk is off: each refusal needs its own answer.
    """

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            setattr(request, REFUSAL, refusal)  # for get_form, as the view runs again
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        refusal: DomainError | None = getattr(request, REFUSAL, None)
        if refusal is None:
            return form

        def clean(self: forms.ModelForm) -> dict[str, Any]:
            form.clean(self)
            refusal.add_to_form(self)
            return self.cleaned_data

        return type(form.__name__, (form,), {"clean": clean})

    def get_deleted_objects(self, objs, request: HttpRequest):
        # Django asks the delete permission for what protects the object too (a
        # booking, which nobody may delete), so its page would blame permissions:
        # only what would go with the object needs it.
        lacking = self._delete_permissions_lacking(objs, request)
        if request.method == "POST":
            # Confirmed: the service decides under its locks and says why it refuses
            # (the page's list may be stale), so nothing counts as protected here.
            return [], {}, lacking, []
        deleted, model_count, _, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, lacking, protected

    def _delete_permissions_lacking(self, objs, request: HttpRequest) -> set[str]:
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        lacking = set()
        # (django-stubs types the collector's keys as labels; they are model classes.)
        by_model = cast(dict[type[Model], Any], collector.model_objs)
        for model, instances in by_model.items():
            if not self.admin_site.is_registered(model):
                continue
            model_admin: admin.ModelAdmin = self.admin_site.get_model_admin(model)
            if not all(model_admin.has_delete_permission(request, instance) for instance in instances):
                lacking.add(str(model._meta.verbose_name))
        return lacking

    def delete_view(self, request: HttpRequest, object_id, extra_context=None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class SafeDateHierarchyChangeList(ChangeList):
    def get_filters(self, request):
        # Django turns only a ValueError of the hierarchy's first date into a bad
        # lookup: a year past C's int (OverflowError) or the year after 9999
        # (a ValueError outside its try) escaped as a 500.
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class SafeDateHierarchy:
    """ModelAdmin mixin: a `date_hierarchy` year, month or day outside the calendar
    (`?created_at__year=99999999999999999999`) sends the admin back to the
    unfiltered list, as other bad filters do (`?e=1`), instead of a 500."""

    def get_changelist(self, request, **kwargs) -> type[ChangeList]:
        return SafeDateHierarchyChangeList


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyPages, SafeDateHierarchy, admin.ModelAdmin):
    """Every e-mail the site sent or will send, with its error: what failed every
    attempt is found with the Failed filter and sent again with the action."""

    list_display = ["subject", "to", "kind", "status", "attempts", "last_error", "created", "sent"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = ("to", "subject", "kind", "status", "attempts", "last_error", "created", "sent", "text")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Created"), ordering="created_at")
    def created(self, mail: OutgoingMail) -> str:
        return admin_datetime(mail.created_at)

    @admin.display(description=gettext_lazy("Sent"), ordering="sent_at")
    def sent(self, mail: OutgoingMail) -> str:
        return admin_datetime(mail.sent_at)

    @admin.action(description=gettext_lazy("Re-send the selected e-mails"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset) -> None:
        count = mail_resend(mails=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s e-mail queued to be sent again.",
                "%(count)s e-mails queued to be sent again.",
                count,
            )
            % {"count": count},
        )
