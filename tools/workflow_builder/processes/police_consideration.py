"""The police consideration process."""
from __future__ import annotations

from ..elements import IRM, event, lanes, user_task
from ..model import Proc


def build() -> Proc:
    """One consideration of the police, called for every serious event (SCO 3.2, WAR 6, WM 6).

    The caller puts the event's behaviour types or contact classification in ``police_concern``;
    the form's rule reads it to make reporting violence and threats mandatory.
    """
    p = Proc("police_consideration", "Considering the police", lanes("police_consideration", (IRM, 1)))
    event(p, "startEvent", "police_start", "Serious event", IRM, 0)
    user_task(p, "consider_police_report", "Consider reporting to the police", IRM, 1, due="P2D", docs=(
        "The person's behaviour or contact may be a police matter: violence, threats, harassment, stalking, "
        "intimidation, verbal abuse or discriminatory remarks, or a contact classified as a criminal or "
        "safeguarding matter. Decide whether to report it to the police and record the police reference. "
        "Violence and threats are always reported. (SCO 3.2, WAR 6, WM 6, CLE 9.10)"), shows="police_concern")
    event(p, "endEvent", "police_considered", "Police considered", IRM, 2)
    p.flow("police_start", "consider_police_report")
    p.flow("consider_police_report", "police_considered")
    return p
