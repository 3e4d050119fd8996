from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.outcome_in_result import OutcomeInResult
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.amount_in import AmountIn





T = TypeVar("T", bound="OutcomeIn")



@_attrs_define
class OutcomeIn:
    """ What one side of a held meeting reports.

        Attributes:
            participant_id (str): The side reporting (a party of the meeting).
            result (OutcomeInResult): `deal` needs an amount; `no_interest` carries none.
            immediate_amount (AmountIn | None | Unset): Agreed at or right after the meeting.
            products (list[str] | Unset): HS codes the deal covers.
            projected_12m_amount (AmountIn | None | Unset): Expected over the next 12 months.
     """

    participant_id: str
    result: OutcomeInResult
    immediate_amount: AmountIn | None | Unset = UNSET
    products: list[str] | Unset = UNSET
    projected_12m_amount: AmountIn | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_in import AmountIn # noqa: PLC0415
        participant_id = self.participant_id

        result = self.result.value

        immediate_amount: dict[str, Any] | None | Unset
        if isinstance(self.immediate_amount, Unset):
            immediate_amount = UNSET
        elif isinstance(self.immediate_amount, AmountIn):
            immediate_amount = self.immediate_amount.to_dict()
        else:
            immediate_amount = self.immediate_amount

        products: list[str] | Unset = UNSET
        if not isinstance(self.products, Unset):
            products = self.products



        projected_12m_amount: dict[str, Any] | None | Unset
        if isinstance(self.projected_12m_amount, Unset):
            projected_12m_amount = UNSET
        elif isinstance(self.projected_12m_amount, AmountIn):
            projected_12m_amount = self.projected_12m_amount.to_dict()
        else:
            projected_12m_amount = self.projected_12m_amount


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "participant_id": participant_id,
            "result": result,
        })
        if immediate_amount is not UNSET:
            field_dict["immediate_amount"] = immediate_amount
        if products is not UNSET:
            field_dict["products"] = products
        if projected_12m_amount is not UNSET:
            field_dict["projected_12m_amount"] = projected_12m_amount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.amount_in import AmountIn # noqa: PLC0415
        d = dict(src_dict)
        participant_id = d.pop("participant_id")

        result = OutcomeInResult(d.pop("result"))




        def _parse_immediate_amount(data: object) -> AmountIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                immediate_amount_type_0 = AmountIn.from_dict(data)



                return immediate_amount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AmountIn | None | Unset, data)

        immediate_amount = _parse_immediate_amount(d.pop("immediate_amount", UNSET))


        products = cast(list[str], d.pop("products", UNSET))


        def _parse_projected_12m_amount(data: object) -> AmountIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                projected_12m_amount_type_0 = AmountIn.from_dict(data)



                return projected_12m_amount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AmountIn | None | Unset, data)

        projected_12m_amount = _parse_projected_12m_amount(d.pop("projected_12m_amount", UNSET))


        outcome_in = cls(
            participant_id=participant_id,
            result=result,
            immediate_amount=immediate_amount,
            products=products,
            projected_12m_amount=projected_12m_amount,
        )

        return outcome_in

