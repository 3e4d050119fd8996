from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.participant_profile_attendance_type_0 import ParticipantProfileAttendanceType0
from ..models.participant_profile_role import ParticipantProfileRole
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.availability_window import AvailabilityWindow
  from ..models.company import Company
  from ..models.contact import Contact
  from ..models.product import Product
  from ..models.wants import Wants





T = TypeVar("T", bound="ParticipantProfile")



@_attrs_define
class ParticipantProfile:
    """ Everything the pipeline knows about a participant.

        Attributes:
            company (Company): The company a participant registers for.
            contact (Contact): Who receives a participant's e-mails and invitations.
            country (str): ISO 3166-1 alpha-2 country code.
            participant_id (str): The participant's id.
            role (ParticipantProfileRole): Which side it is on.
            timezone (str): IANA time zone, e.g. America/Santiago.
            attendance (None | ParticipantProfileAttendanceType0 | Unset): Hybrid roundtables: whether the participant comes
                to the venue or meets remotely; unset means in person (in person, hybrid) or remote (virtual).
            availability (list[AvailabilityWindow] | Unset): Own windows; empty means the default daily window.
            certifications (list[str] | Unset): Certifications it holds.
            languages (list[str] | Unset): ISO 639-1 codes.
            products (list[Product] | Unset): What it sells or buys.
            sectors (list[str] | Unset): Its sectors.
            wants (Wants | Unset): What a participant looks for in a counterpart.
     """

    company: Company
    contact: Contact
    country: str
    participant_id: str
    role: ParticipantProfileRole
    timezone: str
    attendance: None | ParticipantProfileAttendanceType0 | Unset = UNSET
    availability: list[AvailabilityWindow] | Unset = UNSET
    certifications: list[str] | Unset = UNSET
    languages: list[str] | Unset = UNSET
    products: list[Product] | Unset = UNSET
    sectors: list[str] | Unset = UNSET
    wants: Wants | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.availability_window import AvailabilityWindow # noqa: PLC0415
        from ..models.company import Company # noqa: PLC0415
        from ..models.contact import Contact # noqa: PLC0415
        from ..models.product import Product # noqa: PLC0415
        from ..models.wants import Wants # noqa: PLC0415
        company = self.company.to_dict()

        contact = self.contact.to_dict()

        country = self.country

        participant_id = self.participant_id

        role = self.role.value

        timezone = self.timezone

        attendance: None | str | Unset
        if isinstance(self.attendance, Unset):
            attendance = UNSET
        elif isinstance(self.attendance, ParticipantProfileAttendanceType0):
            attendance = self.attendance.value
        else:
            attendance = self.attendance

        availability: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.availability, Unset):
            availability = []
            for availability_item_data in self.availability:
                availability_item = availability_item_data.to_dict()
                availability.append(availability_item)



        certifications: list[str] | Unset = UNSET
        if not isinstance(self.certifications, Unset):
            certifications = self.certifications



        languages: list[str] | Unset = UNSET
        if not isinstance(self.languages, Unset):
            languages = self.languages



        products: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.products, Unset):
            products = []
            for products_item_data in self.products:
                products_item = products_item_data.to_dict()
                products.append(products_item)



        sectors: list[str] | Unset = UNSET
        if not isinstance(self.sectors, Unset):
            sectors = self.sectors



        wants: dict[str, Any] | Unset = UNSET
        if not isinstance(self.wants, Unset):
            wants = self.wants.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "company": company,
            "contact": contact,
            "country": country,
            "participant_id": participant_id,
            "role": role,
            "timezone": timezone,
        })
        if attendance is not UNSET:
            field_dict["attendance"] = attendance
        if availability is not UNSET:
            field_dict["availability"] = availability
        if certifications is not UNSET:
            field_dict["certifications"] = certifications
        if languages is not UNSET:
            field_dict["languages"] = languages
        if products is not UNSET:
            field_dict["products"] = products
        if sectors is not UNSET:
            field_dict["sectors"] = sectors
        if wants is not UNSET:
            field_dict["wants"] = wants

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.availability_window import AvailabilityWindow # noqa: PLC0415
        from ..models.company import Company # noqa: PLC0415
        from ..models.contact import Contact # noqa: PLC0415
        from ..models.product import Product # noqa: PLC0415
        from ..models.wants import Wants # noqa: PLC0415
        d = dict(src_dict)
        company = Company.from_dict(d.pop("company"))




        contact = Contact.from_dict(d.pop("contact"))




        country = d.pop("country")

        participant_id = d.pop("participant_id")

        role = ParticipantProfileRole(d.pop("role"))




        timezone = d.pop("timezone")

        def _parse_attendance(data: object) -> None | ParticipantProfileAttendanceType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                attendance_type_0 = ParticipantProfileAttendanceType0(data)



                return attendance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ParticipantProfileAttendanceType0 | Unset, data)

        attendance = _parse_attendance(d.pop("attendance", UNSET))


        _availability = d.pop("availability", UNSET)
        availability: list[AvailabilityWindow] | Unset = UNSET
        if _availability is not UNSET:
            availability = []
            for availability_item_data in _availability:
                availability_item = AvailabilityWindow.from_dict(availability_item_data)



                availability.append(availability_item)


        certifications = cast(list[str], d.pop("certifications", UNSET))


        languages = cast(list[str], d.pop("languages", UNSET))


        _products = d.pop("products", UNSET)
        products: list[Product] | Unset = UNSET
        if _products is not UNSET:
            products = []
            for products_item_data in _products:
                products_item = Product.from_dict(products_item_data)



                products.append(products_item)


        sectors = cast(list[str], d.pop("sectors", UNSET))


        _wants = d.pop("wants", UNSET)
        wants: Wants | Unset
        if isinstance(_wants,  Unset):
            wants = UNSET
        else:
            wants = Wants.from_dict(_wants)




        participant_profile = cls(
            company=company,
            contact=contact,
            country=country,
            participant_id=participant_id,
            role=role,
            timezone=timezone,
            attendance=attendance,
            availability=availability,
            certifications=certifications,
            languages=languages,
            products=products,
            sectors=sectors,
            wants=wants,
        )

        return participant_profile

