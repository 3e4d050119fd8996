from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.agency import Agency
  from ..models.daily_window import DailyWindow
  from ..models.matching_rules import MatchingRules
  from ..models.roundtable_in_usd_rates import RoundtableInUsdRates





T = TypeVar("T", bound="RoundtableIn")



@_attrs_define
class RoundtableIn:
    """ A roundtable's configuration.

        Attributes:
            agencies (list[Agency]): Co-hosting agencies, one per country vetted.
            days (list[datetime.date]): Its days (local dates).
            exporter_countries (list[str]): ISO 3166-1 alpha-2 countries of exporters.
            importer_countries (list[str]): ISO 3166-1 alpha-2 countries of importers.
            name (str): Its name.
            sectors (list[str]): Sectors matched on.
            buffer_minutes (int | Unset): Pause between two meetings. Default: 0.
            default_window (DailyWindow | Unset): A daily window in the participant's local time, e.g. 09:00-18:00.
            matching (MatchingRules | Unset): How counterparts are turned into agreed meetings.
            max_meetings_per_day (int | None | Unset): Per-participant daily cap, if any.
            registration_open (bool | Unset): Whether registration opens at once. Default: True.
            roundtable_id (None | str | Unset): Chosen by an admin (else generated); an organizer's is its token's.
            self_registration (bool | Unset): Whether companies may register themselves without a token. Default: True.
            slot_minutes (int | Unset): Length of a meeting. Default: 30.
            usd_rates (RoundtableInUsdRates | Unset): US-dollar rate of each currency outcomes may use, by ISO 4217 code.
     """

    agencies: list[Agency]
    days: list[datetime.date]
    exporter_countries: list[str]
    importer_countries: list[str]
    name: str
    sectors: list[str]
    buffer_minutes: int | Unset = 0
    default_window: DailyWindow | Unset = UNSET
    matching: MatchingRules | Unset = UNSET
    max_meetings_per_day: int | None | Unset = UNSET
    registration_open: bool | Unset = True
    roundtable_id: None | str | Unset = UNSET
    self_registration: bool | Unset = True
    slot_minutes: int | Unset = 30
    usd_rates: RoundtableInUsdRates | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.agency import Agency # noqa: PLC0415
        from ..models.daily_window import DailyWindow # noqa: PLC0415
        from ..models.matching_rules import MatchingRules # noqa: PLC0415
        from ..models.roundtable_in_usd_rates import RoundtableInUsdRates # noqa: PLC0415
        agencies = []
        for agencies_item_data in self.agencies:
            agencies_item = agencies_item_data.to_dict()
            agencies.append(agencies_item)



        days = []
        for days_item_data in self.days:
            days_item = days_item_data.isoformat()
            days.append(days_item)



        exporter_countries = self.exporter_countries



        importer_countries = self.importer_countries



        name = self.name

        sectors = self.sectors



        buffer_minutes = self.buffer_minutes

        default_window: dict[str, Any] | Unset = UNSET
        if not isinstance(self.default_window, Unset):
            default_window = self.default_window.to_dict()

        matching: dict[str, Any] | Unset = UNSET
        if not isinstance(self.matching, Unset):
            matching = self.matching.to_dict()

        max_meetings_per_day: int | None | Unset
        if isinstance(self.max_meetings_per_day, Unset):
            max_meetings_per_day = UNSET
        else:
            max_meetings_per_day = self.max_meetings_per_day

        registration_open = self.registration_open

        roundtable_id: None | str | Unset
        if isinstance(self.roundtable_id, Unset):
            roundtable_id = UNSET
        else:
            roundtable_id = self.roundtable_id

        self_registration = self.self_registration

        slot_minutes = self.slot_minutes

        usd_rates: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usd_rates, Unset):
            usd_rates = self.usd_rates.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "agencies": agencies,
            "days": days,
            "exporter_countries": exporter_countries,
            "importer_countries": importer_countries,
            "name": name,
            "sectors": sectors,
        })
        if buffer_minutes is not UNSET:
            field_dict["buffer_minutes"] = buffer_minutes
        if default_window is not UNSET:
            field_dict["default_window"] = default_window
        if matching is not UNSET:
            field_dict["matching"] = matching
        if max_meetings_per_day is not UNSET:
            field_dict["max_meetings_per_day"] = max_meetings_per_day
        if registration_open is not UNSET:
            field_dict["registration_open"] = registration_open
        if roundtable_id is not UNSET:
            field_dict["roundtable_id"] = roundtable_id
        if self_registration is not UNSET:
            field_dict["self_registration"] = self_registration
        if slot_minutes is not UNSET:
            field_dict["slot_minutes"] = slot_minutes
        if usd_rates is not UNSET:
            field_dict["usd_rates"] = usd_rates

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agency import Agency # noqa: PLC0415
        from ..models.daily_window import DailyWindow # noqa: PLC0415
        from ..models.matching_rules import MatchingRules # noqa: PLC0415
        from ..models.roundtable_in_usd_rates import RoundtableInUsdRates # noqa: PLC0415
        d = dict(src_dict)
        agencies = []
        _agencies = d.pop("agencies")
        for agencies_item_data in (_agencies):
            agencies_item = Agency.from_dict(agencies_item_data)



            agencies.append(agencies_item)


        days = []
        _days = d.pop("days")
        for days_item_data in (_days):
            days_item = datetime.date.fromisoformat(days_item_data)



            days.append(days_item)


        exporter_countries = cast(list[str], d.pop("exporter_countries"))


        importer_countries = cast(list[str], d.pop("importer_countries"))


        name = d.pop("name")

        sectors = cast(list[str], d.pop("sectors"))


        buffer_minutes = d.pop("buffer_minutes", UNSET)

        _default_window = d.pop("default_window", UNSET)
        default_window: DailyWindow | Unset
        if isinstance(_default_window,  Unset):
            default_window = UNSET
        else:
            default_window = DailyWindow.from_dict(_default_window)




        _matching = d.pop("matching", UNSET)
        matching: MatchingRules | Unset
        if isinstance(_matching,  Unset):
            matching = UNSET
        else:
            matching = MatchingRules.from_dict(_matching)




        def _parse_max_meetings_per_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_meetings_per_day = _parse_max_meetings_per_day(d.pop("max_meetings_per_day", UNSET))


        registration_open = d.pop("registration_open", UNSET)

        def _parse_roundtable_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        roundtable_id = _parse_roundtable_id(d.pop("roundtable_id", UNSET))


        self_registration = d.pop("self_registration", UNSET)

        slot_minutes = d.pop("slot_minutes", UNSET)

        _usd_rates = d.pop("usd_rates", UNSET)
        usd_rates: RoundtableInUsdRates | Unset
        if isinstance(_usd_rates,  Unset):
            usd_rates = UNSET
        else:
            usd_rates = RoundtableInUsdRates.from_dict(_usd_rates)




        roundtable_in = cls(
            agencies=agencies,
            days=days,
            exporter_countries=exporter_countries,
            importer_countries=importer_countries,
            name=name,
            sectors=sectors,
            buffer_minutes=buffer_minutes,
            default_window=default_window,
            matching=matching,
            max_meetings_per_day=max_meetings_per_day,
            registration_open=registration_open,
            roundtable_id=roundtable_id,
            self_registration=self_registration,
            slot_minutes=slot_minutes,
            usd_rates=usd_rates,
        )

        return roundtable_in

