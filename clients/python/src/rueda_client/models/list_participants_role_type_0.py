from enum import StrEnum

class ListParticipantsRoleType0(StrEnum):
    EXPORTER = "exporter"
    IMPORTER = "importer"

    def __str__(self) -> str:
        return str(self.value)
