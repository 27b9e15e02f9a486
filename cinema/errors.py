"""The one domain error: what every app's services raise when they refuse a write.

A leaf module (it imports no app): the API maps a `DomainError` to a 400 or
409 in one place (cinema/api.py), and pages and the admin turn it into a form
error (`add_to_form`).
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A refused write. `code` is the API's machine-readable code, `message` is for people.

    `field` names the input at fault, if one is. Each app's subclass lists its
    `conflicts`: the codes of valid requests that clash with the current state
    (HTTP 409); every other code is invalid input (400). Where one code is either,
    depending on the request (API.md: `sales_closed` refuses a new hold as invalid
    but a renewal as a conflict), the raise says so with `conflict`.
    """

    conflicts: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, code: str, message: str, *, field: str | None = None, conflict: bool | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self._conflict = conflict

    @property
    def is_conflict(self) -> bool:
        return self.code in self.conflicts if self._conflict is None else self._conflict

    def context(self) -> dict[str, Any]:
        """Extra members of the API's error body (e.g. the seats already taken)."""
        return {}

    def add_to_form(self, form) -> None:
        """Show the refusal on `form`: under its field when the form has it, else above the form."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
