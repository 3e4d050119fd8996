from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.choice import Choice





T = TypeVar("T", bound="TokensOut")



@_attrs_define
class TokensOut:
    """ An access token for one identity and the session's rotating refresh token.

        Attributes:
            access_token (str): Bearer JWT (EdDSA), about an hour.
            acting_as (Choice): One identity the signed-in person may act as.
            choices (list[Choice]): Every identity this session may act as.
            expires_in (int): Seconds the access token lives.
            refresh_token (str): Single use; rotate with /v1/token/refresh.
            token_type (Literal['Bearer'] | Unset): Always `Bearer`. Default: 'Bearer'.
     """

    access_token: str
    acting_as: Choice
    choices: list[Choice]
    expires_in: int
    refresh_token: str
    token_type: Literal['Bearer'] | Unset = 'Bearer'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.choice import Choice # noqa: PLC0415
        access_token = self.access_token

        acting_as = self.acting_as.to_dict()

        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)



        expires_in = self.expires_in

        refresh_token = self.refresh_token

        token_type = self.token_type


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "access_token": access_token,
            "acting_as": acting_as,
            "choices": choices,
            "expires_in": expires_in,
            "refresh_token": refresh_token,
        })
        if token_type is not UNSET:
            field_dict["token_type"] = token_type

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.choice import Choice # noqa: PLC0415
        d = dict(src_dict)
        access_token = d.pop("access_token")

        acting_as = Choice.from_dict(d.pop("acting_as"))




        choices = []
        _choices = d.pop("choices")
        for choices_item_data in (_choices):
            choices_item = Choice.from_dict(choices_item_data)



            choices.append(choices_item)


        expires_in = d.pop("expires_in")

        refresh_token = d.pop("refresh_token")

        token_type = cast(Literal['Bearer'] | Unset , d.pop("token_type", UNSET))
        if token_type != 'Bearer'and not isinstance(token_type, Unset):
            raise ValueError(f"token_type must match const 'Bearer', got '{token_type}'")

        tokens_out = cls(
            access_token=access_token,
            acting_as=acting_as,
            choices=choices,
            expires_in=expires_in,
            refresh_token=refresh_token,
            token_type=token_type,
        )


        tokens_out.additional_properties = d
        return tokens_out

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
