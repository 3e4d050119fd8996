from enum import StrEnum

class MatchingRulesMode(StrEnum):
    AUTO = "auto"
    REQUEST = "request"

    def __str__(self) -> str:
        return str(self.value)
