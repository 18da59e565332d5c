"""The sentences about how controls were found: which strategy, and when the portal changed."""

from __future__ import annotations

# What each strategy of ``pages/js/perceive.js`` looks at, as a person would say it.
STRATEGY_WORDS: dict[str, str] = {
    "name": "its name (what it says, or its label)",
    "text": "its visible text",
    "item-text": "its text in the menu",
    "title": "its title or image text",
    "contains": "its words inside a longer name",
    "beside": "the word right after it",
    "before": "the word right before it",
    "cell": "the word in the next table cell",
    "nearest": "the nearest word on its line",
    "label": "its label",
    "placeholder": "the hint inside it (placeholder or title)",
    "hint-value": "the text shown in it",
    "row": "its place in the row of its label",
    "dated": "the date it holds (the boxes holding dates)",
    "override": "the [selectors] line",
}


def strategy_text(how: str) -> str:
    if how.startswith("strategy-"):
        return f"built-in search no. {int(how.split('-', 1)[1]) + 1}"
    return STRATEGY_WORDS.get(how, how)


def portal_changed(what: str, was: str, now: str) -> str:
    """A control found another way than on the last verified run."""
    return (
        f"the portal changed: {what} is now found by {strategy_text(now)} "
        f"(last time by {strategy_text(was)})"
    )
