from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.review_in_decision import ReviewInDecision
from ..types import UNSET, Unset






T = TypeVar("T", bound="ReviewIn")



@_attrs_define
class ReviewIn:
    """ An agency's (or the organizer's) decision on a registration.

        Attributes:
            decision (ReviewInDecision): Approved participants are matched.
            reason (str | Unset): Shown to the company. Default: ''.
     """

    decision: ReviewInDecision
    reason: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "decision": decision,
        })
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = ReviewInDecision(d.pop("decision"))




        reason = d.pop("reason", UNSET)

        review_in = cls(
            decision=decision,
            reason=reason,
        )

        return review_in

