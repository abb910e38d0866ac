"""The social media moderation process."""
from __future__ import annotations

from ..elements import CO, event, lanes, user_task
from ..model import Proc


def build() -> Proc:
    """A post or message on our social media: delete it, block the account, or leave it, with the reasons
    and who decided on the record (WM social media, WAR 6 electronic communication)."""
    p = Proc("social_media_moderation", "Moderating social media", lanes("social_media_moderation", (CO, 1)))
    event(p, "startEvent", "social_media_start", "Post to consider", CO, 0)
    user_task(p, "moderate_social_media", "Decide what to do about the post", CO, 1, due="P1D", docs=(
        "The person posted on one of our social media pages or accounts. Decide whether to delete the post, "
        "delete it and block the account (and any linked accounts), or leave it, and record the grounds from "
        "our submission guidelines. Abusive posts are deleted; further abuse leads to a block. Your name is "
        "recorded as the one who decided. (WM social media, WAR 6)"))
    event(p, "endEvent", "social_media_moderated", "Action recorded", CO, 2)
    p.flow("social_media_start", "moderate_social_media")
    p.flow("moderate_social_media", "social_media_moderated")
    return p
