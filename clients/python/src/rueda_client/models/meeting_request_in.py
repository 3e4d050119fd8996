from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MeetingRequestIn")



@_attrs_define
class MeetingRequestIn:
    """ Request mode: ask a counterpart of the other role for a meeting.

        Attributes:
            from_participant (str): The requester.
            to_participant (str): The counterpart asked.
     """

    from_participant: str
    to_participant: str





    def to_dict(self) -> dict[str, Any]:
        from_participant = self.from_participant

        to_participant = self.to_participant


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "from_participant": from_participant,
            "to_participant": to_participant,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_participant = d.pop("from_participant")

        to_participant = d.pop("to_participant")

        meeting_request_in = cls(
            from_participant=from_participant,
            to_participant=to_participant,
        )

        return meeting_request_in

