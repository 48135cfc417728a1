"""The plans a customer can sign up for."""

from dataclasses import dataclass


class UnknownPlan(LookupError):
    """No plan has that name."""


@dataclass(frozen=True)
class Plan:
    name: str
    monthly_cents: int


PLANS = {
    "free": Plan("free", 0),
    "team": Plan("team", 1200),
    "business": Plan("business", 4900),
}


def plan_for(name):
    """Return the plan called name; raise UnknownPlan if there is none."""
    try:
        return PLANS[name]
    except KeyError:
        raise UnknownPlan(f"unknown plan: {name}") from None
