"""Domain errors shared by every app. Views turn them into messages; the API into 4xx answers."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["Conflict", "PermissionDenied", "RuleViolation", "ValidationError"]


class RuleViolation(ValidationError):
    """A rule of the measures refuses the action; the message cites the article."""


class Conflict(Exception):
    """Somebody else changed the object first (e.g. two approvers acting at once)."""
