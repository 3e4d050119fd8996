from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.agency import Agency
  from ..models.calendar_settings import CalendarSettings
  from ..models.matching_rules import MatchingRules
  from ..models.roundtable_out_usd_rates import RoundtableOutUsdRates





T = TypeVar("T", bound="RoundtableOut")



@_attrs_define
class RoundtableOut:
    """ A roundtable's configuration, as its organizer set it.

        Attributes:
            agencies (list[Agency]): Co-hosting agencies and their countries.
            calendar (CalendarSettings): The roundtable's calendar: its days and slot rules, and where meetings happen.

                A ``virtual`` roundtable meets in video rooms. An ``in_person`` one meets at numbered
                tables of a venue (``venue_timezone``; ``tables`` or ``named_tables``): at most that
                many meetings at once. A ``hybrid`` one has tables for meetings whose two parties
                attend in person and video rooms for the rest.
            exporter_countries (list[str]): ISO 3166-1 countries exporters come from.
            importer_countries (list[str]): ISO 3166-1 countries importers come from.
            matching (MatchingRules): How counterparts are turned into agreed meetings.
            name (str): Its name.
            registration_open (bool): Whether it takes registrations now.
            roundtable_id (str): The roundtable's id.
            sectors (list[str]): Sectors it covers.
            self_registration (bool): Whether companies may register themselves without a token.
            usd_rates (RoundtableOutUsdRates): US-dollar rate of each accepted currency (decimal strings).
     """

    agencies: list[Agency]
    calendar: CalendarSettings
    exporter_countries: list[str]
    importer_countries: list[str]
    matching: MatchingRules
    name: str
    registration_open: bool
    roundtable_id: str
    sectors: list[str]
    self_registration: bool
    usd_rates: RoundtableOutUsdRates
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.agency import Agency # noqa: PLC0415
        from ..models.calendar_settings import CalendarSettings # noqa: PLC0415
        from ..models.matching_rules import MatchingRules # noqa: PLC0415
        from ..models.roundtable_out_usd_rates import RoundtableOutUsdRates # noqa: PLC0415
        agencies = []
        for agencies_item_data in self.agencies:
            agencies_item = agencies_item_data.to_dict()
            agencies.append(agencies_item)



        calendar = self.calendar.to_dict()

        exporter_countries = self.exporter_countries



        importer_countries = self.importer_countries



        matching = self.matching.to_dict()

        name = self.name

        registration_open = self.registration_open

        roundtable_id = self.roundtable_id

        sectors = self.sectors



        self_registration = self.self_registration

        usd_rates = self.usd_rates.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agencies": agencies,
            "calendar": calendar,
            "exporter_countries": exporter_countries,
            "importer_countries": importer_countries,
            "matching": matching,
            "name": name,
            "registration_open": registration_open,
            "roundtable_id": roundtable_id,
            "sectors": sectors,
            "self_registration": self_registration,
            "usd_rates": usd_rates,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agency import Agency # noqa: PLC0415
        from ..models.calendar_settings import CalendarSettings # noqa: PLC0415
        from ..models.matching_rules import MatchingRules # noqa: PLC0415
        from ..models.roundtable_out_usd_rates import RoundtableOutUsdRates # noqa: PLC0415
        d = dict(src_dict)
        agencies = []
        _agencies = d.pop("agencies")
        for agencies_item_data in (_agencies):
            agencies_item = Agency.from_dict(agencies_item_data)



            agencies.append(agencies_item)


        calendar = CalendarSettings.from_dict(d.pop("calendar"))




        exporter_countries = cast(list[str], d.pop("exporter_countries"))


        importer_countries = cast(list[str], d.pop("importer_countries"))


        matching = MatchingRules.from_dict(d.pop("matching"))




        name = d.pop("name")

        registration_open = d.pop("registration_open")

        roundtable_id = d.pop("roundtable_id")

        sectors = cast(list[str], d.pop("sectors"))


        self_registration = d.pop("self_registration")

        usd_rates = RoundtableOutUsdRates.from_dict(d.pop("usd_rates"))




        roundtable_out = cls(
            agencies=agencies,
            calendar=calendar,
            exporter_countries=exporter_countries,
            importer_countries=importer_countries,
            matching=matching,
            name=name,
            registration_open=registration_open,
            roundtable_id=roundtable_id,
            sectors=sectors,
            self_registration=self_registration,
            usd_rates=usd_rates,
        )


        roundtable_out.additional_properties = d
        return roundtable_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
