from enum import StrEnum

class ParticipantProfileRole(StrEnum):
    EXPORTER = "exporter"
    IMPORTER = "importer"

    def __str__(self) -> str:
        return str(self.value)
