from enum import StrEnum

class InvitationInLanguage(StrEnum):
    EN = "en"
    ES = "es"
    PT = "pt"

    def __str__(self) -> str:
        return str(self.value)
