""" Contains all the data models used in inputs/outputs """

from .accepted import Accepted
from .agency import Agency
from .amount_in import AmountIn
from .attendance_in import AttendanceIn
from .attendance_in_status import AttendanceInStatus
from .availability_window import AvailabilityWindow
from .calendar_settings import CalendarSettings
from .calendar_settings_format import CalendarSettingsFormat
from .change_in import ChangeIn
from .choice import Choice
from .command_status_out import CommandStatusOut
from .command_status_out_details_type_0 import CommandStatusOutDetailsType0
from .command_status_out_resource_type_0 import CommandStatusOutResourceType0
from .command_status_out_status import CommandStatusOutStatus
from .command_status_service_name import CommandStatusServiceName
from .company import Company
from .contact import Contact
from .daily_window import DailyWindow
from .delivery_out import DeliveryOut
from .delivery_out_channel import DeliveryOutChannel
from .delivery_out_status import DeliveryOutStatus
from .error_body import ErrorBody
from .error_response import ErrorResponse
from .exchange_in import ExchangeIn
from .invitation_in import InvitationIn
from .invitation_in_language import InvitationInLanguage
from .invitation_in_role import InvitationInRole
from .invitation_out import InvitationOut
from .list_meeting_requests_status_type_0 import ListMeetingRequestsStatusType0
from .list_participants_role_type_0 import ListParticipantsRoleType0
from .list_participants_status_type_0 import ListParticipantsStatusType0
from .lock_in import LockIn
from .match_out import MatchOut
from .matching_rules import MatchingRules
from .matching_rules_mode import MatchingRulesMode
from .me_out import MeOut
from .meeting_out import MeetingOut
from .meeting_out_local_times import MeetingOutLocalTimes
from .meeting_out_status import MeetingOutStatus
from .meeting_out_timezones import MeetingOutTimezones
from .meeting_request_in import MeetingRequestIn
from .meeting_request_out import MeetingRequestOut
from .meeting_request_out_countries import MeetingRequestOutCountries
from .meeting_request_out_status import MeetingRequestOutStatus
from .meeting_response_in import MeetingResponseIn
from .outcome_in import OutcomeIn
from .outcome_in_result import OutcomeInResult
from .participant_in import ParticipantIn
from .participant_in_role import ParticipantInRole
from .participant_out import ParticipantOut
from .participant_out_role import ParticipantOutRole
from .participant_out_status import ParticipantOutStatus
from .participant_profile import ParticipantProfile
from .participant_profile_attendance_type_0 import ParticipantProfileAttendanceType0
from .participant_profile_role import ParticipantProfileRole
from .product import Product
from .refresh_in import RefreshIn
from .registration_open_in import RegistrationOpenIn
from .report_block import ReportBlock
from .report_block_deals import ReportBlockDeals
from .report_block_exporters import ReportBlockExporters
from .report_block_importers import ReportBlockImporters
from .report_block_meetings import ReportBlockMeetings
from .report_out import ReportOut
from .report_out_by_agency import ReportOutByAgency
from .report_out_by_country import ReportOutByCountry
from .report_out_by_sector import ReportOutBySector
from .report_out_deals import ReportOutDeals
from .report_out_exporters import ReportOutExporters
from .report_out_importers import ReportOutImporters
from .report_out_meetings import ReportOutMeetings
from .review_in import ReviewIn
from .review_in_decision import ReviewInDecision
from .roundtable_in import RoundtableIn
from .roundtable_in_usd_rates import RoundtableInUsdRates
from .roundtable_out import RoundtableOut
from .roundtable_out_usd_rates import RoundtableOutUsdRates
from .sign_in_accepted import SignInAccepted
from .sign_in_in import SignInIn
from .sign_out_in import SignOutIn
from .signed_out import SignedOut
from .subscription_in import SubscriptionIn
from .subscription_out import SubscriptionOut
from .table import Table
from .tokens_out import TokensOut
from .wants import Wants
from .withdraw_in import WithdrawIn

__all__ = (
    "Accepted",
    "Agency",
    "AmountIn",
    "AttendanceIn",
    "AttendanceInStatus",
    "AvailabilityWindow",
    "CalendarSettings",
    "CalendarSettingsFormat",
    "ChangeIn",
    "Choice",
    "CommandStatusOut",
    "CommandStatusOutDetailsType0",
    "CommandStatusOutResourceType0",
    "CommandStatusOutStatus",
    "CommandStatusServiceName",
    "Company",
    "Contact",
    "DailyWindow",
    "DeliveryOut",
    "DeliveryOutChannel",
    "DeliveryOutStatus",
    "ErrorBody",
    "ErrorResponse",
    "ExchangeIn",
    "InvitationIn",
    "InvitationInLanguage",
    "InvitationInRole",
    "InvitationOut",
    "ListMeetingRequestsStatusType0",
    "ListParticipantsRoleType0",
    "ListParticipantsStatusType0",
    "LockIn",
    "MatchingRules",
    "MatchingRulesMode",
    "MatchOut",
    "MeetingOut",
    "MeetingOutLocalTimes",
    "MeetingOutStatus",
    "MeetingOutTimezones",
    "MeetingRequestIn",
    "MeetingRequestOut",
    "MeetingRequestOutCountries",
    "MeetingRequestOutStatus",
    "MeetingResponseIn",
    "MeOut",
    "OutcomeIn",
    "OutcomeInResult",
    "ParticipantIn",
    "ParticipantInRole",
    "ParticipantOut",
    "ParticipantOutRole",
    "ParticipantOutStatus",
    "ParticipantProfile",
    "ParticipantProfileAttendanceType0",
    "ParticipantProfileRole",
    "Product",
    "RefreshIn",
    "RegistrationOpenIn",
    "ReportBlock",
    "ReportBlockDeals",
    "ReportBlockExporters",
    "ReportBlockImporters",
    "ReportBlockMeetings",
    "ReportOut",
    "ReportOutByAgency",
    "ReportOutByCountry",
    "ReportOutBySector",
    "ReportOutDeals",
    "ReportOutExporters",
    "ReportOutImporters",
    "ReportOutMeetings",
    "ReviewIn",
    "ReviewInDecision",
    "RoundtableIn",
    "RoundtableInUsdRates",
    "RoundtableOut",
    "RoundtableOutUsdRates",
    "SignedOut",
    "SignInAccepted",
    "SignInIn",
    "SignOutIn",
    "SubscriptionIn",
    "SubscriptionOut",
    "Table",
    "TokensOut",
    "Wants",
    "WithdrawIn",
)
