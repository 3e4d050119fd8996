from enum import StrEnum

class MeetingOutStatus(StrEnum):
    CANCELLED = "cancelled"
    HELD = "held"
    NO_SHOW = "no_show"
    SCHEDULED = "scheduled"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
