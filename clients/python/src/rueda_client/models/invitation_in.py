from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.invitation_in_language import InvitationInLanguage
from ..models.invitation_in_role import InvitationInRole
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="InvitationIn")



@_attrs_define
class InvitationIn:
    """ Whom to invite, as what.

        Attributes:
            email (str): The person's e-mail address.
            role (InvitationInRole): An agency officer or a co-organizer.
            agency (None | str | Unset): The agency's code (role `agency`).
            language (InvitationInLanguage | Unset): The invitation e-mail's language. Default: InvitationInLanguage.EN.
     """

    email: str
    role: InvitationInRole
    agency: None | str | Unset = UNSET
    language: InvitationInLanguage | Unset = InvitationInLanguage.EN





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role = self.role.value

        agency: None | str | Unset
        if isinstance(self.agency, Unset):
            agency = UNSET
        else:
            agency = self.agency

        language: str | Unset = UNSET
        if not isinstance(self.language, Unset):
            language = self.language.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "role": role,
        })
        if agency is not UNSET:
            field_dict["agency"] = agency
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        role = InvitationInRole(d.pop("role"))




        def _parse_agency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agency = _parse_agency(d.pop("agency", UNSET))


        _language = d.pop("language", UNSET)
        language: InvitationInLanguage | Unset
        if isinstance(_language,  Unset):
            language = UNSET
        else:
            language = InvitationInLanguage(_language)




        invitation_in = cls(
            email=email,
            role=role,
            agency=agency,
            language=language,
        )

        return invitation_in

