from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.command_status_out_status import CommandStatusOutStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.command_status_out_details_type_0 import CommandStatusOutDetailsType0
  from ..models.command_status_out_resource_type_0 import CommandStatusOutResourceType0





T = TypeVar("T", bound="CommandStatusOut")



@_attrs_define
class CommandStatusOut:
    """ Whether a command was carried out (`accepted`), refused (`rejected`, with the reason)
    or not processed yet (`pending`).

        Attributes:
            command_id (str): The command's id.
            status (CommandStatusOutStatus): `pending` until the owning service has handled the command.
            code (None | str | Unset): Why it was refused, machine-readable.
            details (CommandStatusOutDetailsType0 | None | Unset): Structured details of a refusal.
            reason (None | str | Unset): Why it was refused, for a person.
            resource (CommandStatusOutResourceType0 | None | Unset): Ids of what it created or concerns.
            roundtable_id (None | str | Unset): Its roundtable.
            type_ (None | str | Unset): The command's type.
     """

    command_id: str
    status: CommandStatusOutStatus
    code: None | str | Unset = UNSET
    details: CommandStatusOutDetailsType0 | None | Unset = UNSET
    reason: None | str | Unset = UNSET
    resource: CommandStatusOutResourceType0 | None | Unset = UNSET
    roundtable_id: None | str | Unset = UNSET
    type_: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.command_status_out_details_type_0 import CommandStatusOutDetailsType0 # noqa: PLC0415
        from ..models.command_status_out_resource_type_0 import CommandStatusOutResourceType0 # noqa: PLC0415
        command_id = self.command_id

        status = self.status.value

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        details: dict[str, Any] | None | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        elif isinstance(self.details, CommandStatusOutDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        resource: dict[str, Any] | None | Unset
        if isinstance(self.resource, Unset):
            resource = UNSET
        elif isinstance(self.resource, CommandStatusOutResourceType0):
            resource = self.resource.to_dict()
        else:
            resource = self.resource

        roundtable_id: None | str | Unset
        if isinstance(self.roundtable_id, Unset):
            roundtable_id = UNSET
        else:
            roundtable_id = self.roundtable_id

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "command_id": command_id,
            "status": status,
        })
        if code is not UNSET:
            field_dict["code"] = code
        if details is not UNSET:
            field_dict["details"] = details
        if reason is not UNSET:
            field_dict["reason"] = reason
        if resource is not UNSET:
            field_dict["resource"] = resource
        if roundtable_id is not UNSET:
            field_dict["roundtable_id"] = roundtable_id
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.command_status_out_details_type_0 import CommandStatusOutDetailsType0 # noqa: PLC0415
        from ..models.command_status_out_resource_type_0 import CommandStatusOutResourceType0 # noqa: PLC0415
        d = dict(src_dict)
        command_id = d.pop("command_id")

        status = CommandStatusOutStatus(d.pop("status"))




        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))


        def _parse_details(data: object) -> CommandStatusOutDetailsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = CommandStatusOutDetailsType0.from_dict(data)



                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommandStatusOutDetailsType0 | None | Unset, data)

        details = _parse_details(d.pop("details", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_resource(data: object) -> CommandStatusOutResourceType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                resource_type_0 = CommandStatusOutResourceType0.from_dict(data)



                return resource_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommandStatusOutResourceType0 | None | Unset, data)

        resource = _parse_resource(d.pop("resource", UNSET))


        def _parse_roundtable_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        roundtable_id = _parse_roundtable_id(d.pop("roundtable_id", UNSET))


        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))


        command_status_out = cls(
            command_id=command_id,
            status=status,
            code=code,
            details=details,
            reason=reason,
            resource=resource,
            roundtable_id=roundtable_id,
            type_=type_,
        )


        command_status_out.additional_properties = d
        return command_status_out

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
