from enum import StrEnum

class InvitationInRole(StrEnum):
    AGENCY = "agency"
    ORGANIZER = "organizer"

    def __str__(self) -> str:
        return str(self.value)
