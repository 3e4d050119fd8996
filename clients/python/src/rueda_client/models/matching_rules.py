from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.matching_rules_mode import MatchingRulesMode
from ..types import UNSET, Unset






T = TypeVar("T", bound="MatchingRules")



@_attrs_define
class MatchingRules:
    """ How counterparts are turned into agreed meetings.

        Attributes:
            max_meetings_per_participant (int | Unset): Cap per participant. Default: 8.
            min_meetings_per_exporter (int | Unset): Fairness floor per exporter. Default: 1.
            mode (MatchingRulesMode | Unset): `auto`: the best pairs become meetings; `request`: participants ask and
                accept. Default: MatchingRulesMode.AUTO.
            request_ttl_hours (int | Unset): A pending meeting request expires after this. Default: 72.
            top_k (int | Unset): Proposals kept per participant. Default: 10.
     """

    max_meetings_per_participant: int | Unset = 8
    min_meetings_per_exporter: int | Unset = 1
    mode: MatchingRulesMode | Unset = MatchingRulesMode.AUTO
    request_ttl_hours: int | Unset = 72
    top_k: int | Unset = 10





    def to_dict(self) -> dict[str, Any]:
        max_meetings_per_participant = self.max_meetings_per_participant

        min_meetings_per_exporter = self.min_meetings_per_exporter

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value


        request_ttl_hours = self.request_ttl_hours

        top_k = self.top_k


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if max_meetings_per_participant is not UNSET:
            field_dict["max_meetings_per_participant"] = max_meetings_per_participant
        if min_meetings_per_exporter is not UNSET:
            field_dict["min_meetings_per_exporter"] = min_meetings_per_exporter
        if mode is not UNSET:
            field_dict["mode"] = mode
        if request_ttl_hours is not UNSET:
            field_dict["request_ttl_hours"] = request_ttl_hours
        if top_k is not UNSET:
            field_dict["top_k"] = top_k

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_meetings_per_participant = d.pop("max_meetings_per_participant", UNSET)

        min_meetings_per_exporter = d.pop("min_meetings_per_exporter", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: MatchingRulesMode | Unset
        if isinstance(_mode,  Unset):
            mode = UNSET
        else:
            mode = MatchingRulesMode(_mode)




        request_ttl_hours = d.pop("request_ttl_hours", UNSET)

        top_k = d.pop("top_k", UNSET)

        matching_rules = cls(
            max_meetings_per_participant=max_meetings_per_participant,
            min_meetings_per_exporter=min_meetings_per_exporter,
            mode=mode,
            request_ttl_hours=request_ttl_hours,
            top_k=top_k,
        )

        return matching_rules

