"""The sign-up form handler."""

from accounts.plans import plan_for


class BadRequest(Exception):
    """The form cannot be accepted as sent; the client gets a 400."""


def handle_signup(form):
    """Validate a sign-up form and return the new account."""
    email = form.get("email", "").strip()
    if "@" not in email:
        raise BadRequest("invalid email")
    plan = plan_for(form.get("plan", "free"))
    return {"email": email, "plan": plan.name, "monthly_cents": plan.monthly_cents}
