"""The admin's side of the services: a refused write is shown, never a 500 nor a success."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from cinema.errors import DomainError


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
            request.service_refusal = refusal  # read by get_form below
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self) -> dict:
                cleaned = super().clean()
                refusal.add_to_form(self)
                return cleaned

        return RefusedForm

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
        for model, instances in collector.model_objs.items():
            if not self.admin_site.is_registered(model):
                continue
            model_admin = self.admin_site.get_model_admin(model)
            if not all(model_admin.has_delete_permission(request, instance) for instance in instances):
                lacking.add(model._meta.verbose_name)
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
