from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.report_block_deals import ReportBlockDeals
  from ..models.report_block_exporters import ReportBlockExporters
  from ..models.report_block_importers import ReportBlockImporters
  from ..models.report_block_meetings import ReportBlockMeetings





T = TypeVar("T", bound="ReportBlock")



@_attrs_define
class ReportBlock:
    """ Counts for a scope: registrations, meetings and deals (amounts in US dollars).

        Attributes:
            deals (ReportBlockDeals): `count`, `agreed`, `disputed`, `one_sided`; `immediate_usd` and `projected_12m_usd` as
                decimal strings.
            exporters (ReportBlockExporters): `registered` and `approved` exporters.
            importers (ReportBlockImporters): `registered` and `approved` importers.
            meetings (ReportBlockMeetings): `scheduled`, `held`, `no_show` and `cancelled` meetings.
     """

    deals: ReportBlockDeals
    exporters: ReportBlockExporters
    importers: ReportBlockImporters
    meetings: ReportBlockMeetings
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.report_block_deals import ReportBlockDeals # noqa: PLC0415
        from ..models.report_block_exporters import ReportBlockExporters # noqa: PLC0415
        from ..models.report_block_importers import ReportBlockImporters # noqa: PLC0415
        from ..models.report_block_meetings import ReportBlockMeetings # noqa: PLC0415
        deals = self.deals.to_dict()

        exporters = self.exporters.to_dict()

        importers = self.importers.to_dict()

        meetings = self.meetings.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "deals": deals,
            "exporters": exporters,
            "importers": importers,
            "meetings": meetings,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_block_deals import ReportBlockDeals # noqa: PLC0415
        from ..models.report_block_exporters import ReportBlockExporters # noqa: PLC0415
        from ..models.report_block_importers import ReportBlockImporters # noqa: PLC0415
        from ..models.report_block_meetings import ReportBlockMeetings # noqa: PLC0415
        d = dict(src_dict)
        deals = ReportBlockDeals.from_dict(d.pop("deals"))




        exporters = ReportBlockExporters.from_dict(d.pop("exporters"))




        importers = ReportBlockImporters.from_dict(d.pop("importers"))




        meetings = ReportBlockMeetings.from_dict(d.pop("meetings"))




        report_block = cls(
            deals=deals,
            exporters=exporters,
            importers=importers,
            meetings=meetings,
        )


        report_block.additional_properties = d
        return report_block

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
