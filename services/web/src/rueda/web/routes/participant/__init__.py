"""The participants' portal: public registration, sign-in, and the signed-in pages."""

from fastapi import APIRouter

from . import account, meetings, portal, registration

__all__ = ["router"]

router = APIRouter()
for module in (account, registration, portal, meetings):
    router.include_router(module.router)
