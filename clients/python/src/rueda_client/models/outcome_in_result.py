from enum import StrEnum

class OutcomeInResult(StrEnum):
    DEAL = "deal"
    NEGOTIATING = "negotiating"
    NO_INTEREST = "no_interest"

    def __str__(self) -> str:
        return str(self.value)
