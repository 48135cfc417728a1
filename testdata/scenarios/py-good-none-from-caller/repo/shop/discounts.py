"""Discount codes the shop knows."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Discount:
    code: str
    percent: int


CATALOG = {
    "WELCOME10": Discount("WELCOME10", 10),
    "VIP25": Discount("VIP25", 25),
}
