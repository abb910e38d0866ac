"""The DPO decides whether personal data may be shared with a partner agency."""
from __future__ import annotations

from ..elements import CO, DPO, event, gateway, lanes, user_task
from ..model import Proc


def build() -> Proc:
    p = Proc("partner_sharing", "Sharing information with a partner agency",
             lanes("partner_sharing", (DPO, 1), (CO, 1)))
    event(p, "startEvent", "sharing_start", "Sharing requested", DPO, 0)
    user_task(p, "dpo_consultation", "Decide whether personal data may be shared", DPO, 1, due="P5D", docs=(
        "A partner agency asked for information about the person. Decide whether sharing is lawful and on which "
        "basis, with any conditions. (CLE 9.15, WAR 7.1)"), shows="sharing_request")
    gateway(p, "exclusiveGateway", "sharing_decision", "Approved?", DPO, 2)
    event(p, "endEvent", "sharing_refused", "Sharing refused", DPO, 3)
    user_task(p, "record_partner_sharing", "Record what was shared", CO, 3, due="P5D", recordsDisclosure="true", docs=(
        "The DPO approved sharing. Record when it was shared and exactly what. (CLE 9.15)"),
        shows="sharing_request legal_basis conditions")
    event(p, "endEvent", "sharing_recorded", "Sharing recorded", CO, 4)
    f = p.flow
    f("sharing_start", "dpo_consultation")
    f("dpo_consultation", "sharing_decision")
    f("sharing_decision", "record_partner_sharing", 'decision == "approve"', "Approve")
    f("sharing_decision", "sharing_refused", 'decision == "refuse"', "Refuse")
    f("record_partner_sharing", "sharing_recorded")
    return p
