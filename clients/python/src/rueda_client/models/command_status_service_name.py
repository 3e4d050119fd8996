from enum import StrEnum

class CommandStatusServiceName(StrEnum):
    DEALS = "deals"
    MATCHING = "matching"
    NOTIFICATIONS = "notifications"
    REGISTRATION = "registration"
    SCHEDULING = "scheduling"

    def __str__(self) -> str:
        return str(self.value)
