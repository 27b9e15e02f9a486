from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cinema.admin import ServiceAdmin
from pricing.forms import PriceCardForm
from pricing.models import WEEKDAY_CHOICES, PriceCard, PriceCardPrice, TicketType
from pricing.services import ticket_type_delete


@admin.register(TicketType)
class TicketTypeAdmin(ServiceAdmin):
    list_display = ("name", "code", "order", "active", "requires_adult")
    list_editable = ("order",)
    ordering = ("order", "pk")

    def get_readonly_fields(self, request, obj=None):
        # Adult is the standard type: its code is what the API and the tickets rely on.
        if obj is not None and obj.is_adult:
            return ("code", "active", "requires_adult")
        return ()

    def delete_model(self, request, obj: TicketType) -> None:
        ticket_type_delete(ticket_type=obj)


class PriceCardPriceInline(admin.TabularInline):
    model = PriceCardPrice
    extra = 0
    min_num = 1
    fields = ("ticket_type", "price")


@admin.register(PriceCard)
class PriceCardAdmin(admin.ModelAdmin):
    form = PriceCardForm
    list_display = ("name", "days", "window", "priority")
    inlines = (PriceCardPriceInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-priority", "pk")

    @admin.display(description=gettext_lazy("Weekdays"))
    def days(self, card: PriceCard) -> str:
        if len(card.weekdays) == len(WEEKDAY_CHOICES):
            return _("Every day")
        names = dict(WEEKDAY_CHOICES)
        return ", ".join(names[day][:3] for day in sorted(card.weekdays))

    @admin.display(description=gettext_lazy("Local start"))
    def window(self, card: PriceCard) -> str:
        if card.starts_from is None and card.starts_before is None:
            return _("All day")
        start = f"{card.starts_from:%H:%M}" if card.starts_from else "00:00"
        if card.starts_before:
            return _("from %(start)s, before %(end)s") % {
                "start": start,
                "end": f"{card.starts_before:%H:%M}",
            }
        return _("from %(start)s, until midnight") % {"start": start}
