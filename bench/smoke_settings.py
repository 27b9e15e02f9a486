"""The production settings, with plain static storage: the smoke test has
seconds, and the manifest storage needs collectstatic's minutes first."""

from cinema.settings import *  # noqa: F403
from cinema.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
