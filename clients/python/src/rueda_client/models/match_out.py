from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="MatchOut")



@_attrs_define
class MatchOut:
    """ A proposed counterpart, with the reasons for its score.

        Attributes:
            counterpart_id (str): The proposed participant (of the other role).
            reasons (list[str]): Readable reasons, strongest first.
            score (float): Higher is better; 0 is never proposed.
     """

    counterpart_id: str
    reasons: list[str]
    score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        counterpart_id = self.counterpart_id

        reasons = self.reasons



        score = self.score


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "counterpart_id": counterpart_id,
            "reasons": reasons,
            "score": score,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        counterpart_id = d.pop("counterpart_id")

        reasons = cast(list[str], d.pop("reasons"))


        score = d.pop("score")

        match_out = cls(
            counterpart_id=counterpart_id,
            reasons=reasons,
            score=score,
        )


        match_out.additional_properties = d
        return match_out

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
