"""Sphinx extension: the References page is labelled the way the text cites, author–year.

With ``bibtex_reference_style: author_year`` the chapters cite "[Olah, 2015]", "[Gers and Schmidhuber, 2000]",
"[Bengio et al., 1994]"; pybtex's ``plain`` style would still label the list [1]–[24]. This registers a pybtex
label style ``authoryear`` that produces exactly the citation text (one author: "Last, year"; two: "A and B, year";
three or more: "A et al., year"; same label twice: "2015a", "2015b") and a formatting style ``lstm``
(``plain`` with that label style). ``_config.yml`` selects it: ``bibtex_default_style: lstm``.
"""
from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _last(person) -> str:
    return " ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")


def author_year(entry) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last(p) for p in persons]
    if not names:
        who = entry.fields.get("organization") or entry.fields.get("title", "Anon.")
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year(e) for e in sorted_entries]
        seen: dict[str, int] = {}
        for label in labels:
            seen[label] = seen.get(label, 0) + 1
        counter: dict[str, int] = {}
        for label in labels:
            if seen[label] > 1:
                k = counter.get(label, 0)
                counter[label] = k + 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[k]
            else:
                yield label


class Style(PlainStyle):
    default_label_style = "authoryear"


register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
register_plugin("pybtex.style.formatting", "lstm", Style)


def setup(app):
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
