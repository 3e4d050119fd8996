from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MeetingResponseIn")



@_attrs_define
class MeetingResponseIn:
    """ The requested participant accepts or declines.

        Attributes:
            accept (bool): True accepts, false declines.
     """

    accept: bool





    def to_dict(self) -> dict[str, Any]:
        accept = self.accept


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "accept": accept,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accept = d.pop("accept")

        meeting_response_in = cls(
            accept=accept,
        )

        return meeting_response_in

