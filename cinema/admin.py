"""Admin pieces every app's ModelAdmins may share. A kernel module: it imports no app.

Django imports it with the other apps' admin modules; it registers nothing.
"""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


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
