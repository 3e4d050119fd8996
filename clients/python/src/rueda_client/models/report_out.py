from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.report_out_by_agency import ReportOutByAgency
  from ..models.report_out_by_country import ReportOutByCountry
  from ..models.report_out_by_sector import ReportOutBySector
  from ..models.report_out_deals import ReportOutDeals
  from ..models.report_out_exporters import ReportOutExporters
  from ..models.report_out_importers import ReportOutImporters
  from ..models.report_out_meetings import ReportOutMeetings





T = TypeVar("T", bound="ReportOut")



@_attrs_define
class ReportOut:
    """ The roundtable's report: totals, then by country, sector and agency.

        Attributes:
            by_agency (ReportOutByAgency): By agency code.
            by_country (ReportOutByCountry): By ISO 3166-1 country.
            by_sector (ReportOutBySector): By sector.
            deals (ReportOutDeals): `count`, `agreed`, `disputed`, `one_sided`; `immediate_usd` and `projected_12m_usd` as
                decimal strings.
            exporters (ReportOutExporters): `registered` and `approved` exporters.
            importers (ReportOutImporters): `registered` and `approved` importers.
            meetings (ReportOutMeetings): `scheduled`, `held`, `no_show` and `cancelled` meetings.
            roundtable_id (str): The roundtable.
            country (None | str | Unset): The country an agency's view is restricted to, else null.
     """

    by_agency: ReportOutByAgency
    by_country: ReportOutByCountry
    by_sector: ReportOutBySector
    deals: ReportOutDeals
    exporters: ReportOutExporters
    importers: ReportOutImporters
    meetings: ReportOutMeetings
    roundtable_id: str
    country: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.report_out_by_agency import ReportOutByAgency # noqa: PLC0415
        from ..models.report_out_by_country import ReportOutByCountry # noqa: PLC0415
        from ..models.report_out_by_sector import ReportOutBySector # noqa: PLC0415
        from ..models.report_out_deals import ReportOutDeals # noqa: PLC0415
        from ..models.report_out_exporters import ReportOutExporters # noqa: PLC0415
        from ..models.report_out_importers import ReportOutImporters # noqa: PLC0415
        from ..models.report_out_meetings import ReportOutMeetings # noqa: PLC0415
        by_agency = self.by_agency.to_dict()

        by_country = self.by_country.to_dict()

        by_sector = self.by_sector.to_dict()

        deals = self.deals.to_dict()

        exporters = self.exporters.to_dict()

        importers = self.importers.to_dict()

        meetings = self.meetings.to_dict()

        roundtable_id = self.roundtable_id

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "by_agency": by_agency,
            "by_country": by_country,
            "by_sector": by_sector,
            "deals": deals,
            "exporters": exporters,
            "importers": importers,
            "meetings": meetings,
            "roundtable_id": roundtable_id,
        })
        if country is not UNSET:
            field_dict["country"] = country

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_out_by_agency import ReportOutByAgency # noqa: PLC0415
        from ..models.report_out_by_country import ReportOutByCountry # noqa: PLC0415
        from ..models.report_out_by_sector import ReportOutBySector # noqa: PLC0415
        from ..models.report_out_deals import ReportOutDeals # noqa: PLC0415
        from ..models.report_out_exporters import ReportOutExporters # noqa: PLC0415
        from ..models.report_out_importers import ReportOutImporters # noqa: PLC0415
        from ..models.report_out_meetings import ReportOutMeetings # noqa: PLC0415
        d = dict(src_dict)
        by_agency = ReportOutByAgency.from_dict(d.pop("by_agency"))




        by_country = ReportOutByCountry.from_dict(d.pop("by_country"))




        by_sector = ReportOutBySector.from_dict(d.pop("by_sector"))




        deals = ReportOutDeals.from_dict(d.pop("deals"))




        exporters = ReportOutExporters.from_dict(d.pop("exporters"))




        importers = ReportOutImporters.from_dict(d.pop("importers"))




        meetings = ReportOutMeetings.from_dict(d.pop("meetings"))




        roundtable_id = d.pop("roundtable_id")

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))


        report_out = cls(
            by_agency=by_agency,
            by_country=by_country,
            by_sector=by_sector,
            deals=deals,
            exporters=exporters,
            importers=importers,
            meetings=meetings,
            roundtable_id=roundtable_id,
            country=country,
        )


        report_out.additional_properties = d
        return report_out

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
