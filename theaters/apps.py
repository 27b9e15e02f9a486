from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TheatersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "theaters"
    verbose_name = _("Theaters")
