from enum import StrEnum

class AttendanceInStatus(StrEnum):
    HELD = "held"
    NO_SHOW = "no_show"

    def __str__(self) -> str:
        return str(self.value)
