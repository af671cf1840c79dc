"""The plain words the person's pages use for purposes, signals, events, guards and
decisions: catalogue message ids, translated where they are shown."""

from __future__ import annotations

from collections.abc import Mapping

from tactful.types import Purpose
from tactful.web.pages.i18n import N_

PURPOSES: tuple[tuple[Purpose, str, str], ...] = (
    (
        Purpose.PERSONALIZATION,
        N_("Personalization"),
        N_(
            "What you view, buy and rate shapes your recommendations. Turned off, you see "
            "popular picks instead, and we delete what only this covered and take you out "
            "of our models."
        ),
    ),
    (
        Purpose.MESSAGING,
        N_("Messaging"),
        N_(
            "We may send you offers and news on the channels you choose. Turned off, you "
            "only get messages you asked for, such as receipts."
        ),
    ),
    (
        Purpose.EMOTIONAL_CONTEXT,
        N_("Emotional context"),
        N_(
            "We read the tone of what you write to us, so we hold back offers when times "
            "are hard. Turned off, we keep none of your texts and delete what we read."
        ),
    ),
    (
        Purpose.LOCATION,
        N_("Location"),
        N_(
            "Where you are, to suggest what is near you. Turned off, we keep no location "
            "and delete what we had."
        ),
    ),
    (
        Purpose.SOCIAL,
        N_("Social"),
        N_(
            "What you share with friends through us. Turned off, we keep none of it and "
            "delete what we had."
        ),
    ),
    (
        Purpose.COMMUNITY,
        N_("Community"),
        N_(
            "Groups of people who share your interests and values. Turned off, you are "
            "left out of every community."
        ),
    ),
    (
        Purpose.ANALYTICS,
        N_("Analytics"),
        N_(
            "Counting how the shop is used, to improve it. Turned off, what you do is no "
            "longer counted under your name."
        ),
    ),
)

LIFE_EVENTS: Mapping[str, str] = {
    "bereavement": N_("a bereavement"),
    "financial_hardship": N_("money worries"),
    "illness": N_("an illness"),
    "relocation": N_("a move"),
    "new_baby": N_("a new baby"),
    "job_loss": N_("losing a job"),
}

REQUESTS: Mapping[str, str] = {
    "stop_messages": N_("You asked us to stop sending you offers and news, so we don't."),
    "fewer_messages": N_("You asked for fewer messages, so we send at most half as many."),
    "human": N_("You asked to talk to a person: someone from our team will get in touch."),
    "erase_me": N_(
        "You asked us to erase your data. Someone from our team will check with you first; "
        "you can also do it yourself under Your data."
    ),
}
"""What each request the person made in words does, as their page says it (mutes have their
own sentence)."""

ACTIONS: Mapping[str, str] = {
    "view": N_("looked at"),
    "click": N_("clicked"),
    "add_to_cart": N_("put in your cart"),
    "purchase": N_("bought"),
    "rating": N_("rated"),
    "dismiss": N_("said “not for me”"),
    "search": N_("searched"),
    "share": N_("shared"),
    "progress": N_("made progress"),
    "feedback_text": N_("wrote to us"),
    "support_message": N_("wrote to support"),
}
"""What the person did, as a page lists it after the item: "Tent 2 — looked at ×3"."""

GUARDS: Mapping[str, str] = {
    "eligibility": N_("Available and allowed for you"),
    "unavailable": N_("Things not available right now"),
    "dismissed": N_("Things you said were not for you"),
    "muted_category": N_("Categories you muted"),
    "sensitive": N_("Sensitive categories"),
    "in_cart": N_("Things already in your cart"),
    "creepiness_cooldown": N_("Nothing from data you did not share with us directly, yet"),
    "retargeting_cap": N_("Not shown again and again"),
    "emotional_context": N_("Kinder in hard times"),
    "single_signal": N_("Never from one sensitive clue alone"),
    "values": N_("The values you care about"),
    "diversity": N_("Variety"),
    "budget": N_("The number of recommendations you chose"),
    "already_purchased": N_("Things you already bought"),
}

OUTCOMES: Mapping[str, str] = {
    "passed": N_("no change"),
    "held_back": N_("held it back"),
    "lifted": N_("moved it up"),
    "lowered": N_("moved it down"),
    "moved": N_("changed its place"),
}

VERDICTS: Mapping[str, str] = {
    "send": N_("Sent"),
    "defer": N_("Sent later"),
    "suppress": N_("Not sent"),
    "handoff": N_("Passed to a person on our team"),
}

KINDS: Mapping[str, str] = {
    "promotional": N_("An offer"),
    "transactional": N_("A service message"),
    "celebration": N_("A celebration"),
    "supportive": N_("A supportive message"),
    "community": N_("Community news"),
}

CHANNELS: Mapping[str, str] = {
    "email": N_("by email"),
    "push": N_("by push"),
    "sms": N_("by SMS"),
    "in_app": N_("in the app"),
}

NOTICES: Mapping[str, str] = {
    "consents": N_("Your choices are saved."),
    "preferences": N_("Your preferences are saved."),
    "dismissed": N_("Noted: we will show you less like it."),
    "not_dismissed": N_(
        "We could not note that, because Personalization and Analytics are both off."
    ),
    "corrected": N_("Thank you: we removed it, and it no longer shapes what you see."),
    "request_lifted": N_("Done: we undid it."),
    "signed_out": N_("You are signed out."),
    "joined": N_("Welcome: you joined the community."),
    "left": N_("You left the community."),
    "not_joined": N_("To join a community, tick Communities under What we use first."),
}
