"""What the wire desk does to a story on the agency's behalf, as check()/execute() units."""

from .kill import KillWireStoryAction
from .submit import SubmitWireStoryAction

__all__ = ["KillWireStoryAction", "SubmitWireStoryAction"]
