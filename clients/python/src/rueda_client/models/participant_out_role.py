from enum import StrEnum

class ParticipantOutRole(StrEnum):
    EXPORTER = "exporter"
    IMPORTER = "importer"

    def __str__(self) -> str:
        return str(self.value)
