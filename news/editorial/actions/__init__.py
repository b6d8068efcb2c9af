"""The editorial transitions as check()/execute() units, as the API runs them."""

from .approve import ApproveAction
from .base import EditorialPermissionError, EditorialStateError
from .request_changes import RequestChangesAction
from .submit_for_review import SubmitForReviewAction

__all__ = [
    "ApproveAction",
    "EditorialPermissionError",
    "EditorialStateError",
    "RequestChangesAction",
    "SubmitForReviewAction",
]
