"""The development issuer's login page: pick one of the demo people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from provena.demo import ORGANIZATIONS, DemoPerson

__all__ = ["error_page", "login_page"]

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1d2733;margin:0}
main{max-width:44rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem}p.note{color:#5b6773}
section{background:#fff;border-radius:10px;padding:1rem 1.25rem;margin:1rem 0;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:1rem;margin:0 0 .6rem}
ul{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
button{width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #d5dbe1;
border-radius:8px;background:#fff;font:inherit;cursor:pointer}
button:hover,button:focus{border-color:#2f7d5b;outline:none;background:#eef7f2}
.role{float:right;color:#2f7d5b;font-size:.85rem}
"""


def login_page(people: Iterable[DemoPerson], hidden: Mapping[str, str]) -> str:
    """A form per organization with one submit button per person."""
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    by_org: dict[str, list[DemoPerson]] = {}
    for person in people:
        by_org.setdefault(person.msp_id, []).append(person)
    sections = []
    for org in ORGANIZATIONS:
        buttons = "".join(
            f'<li><button type="submit" name="username" value="{escape(p.username)}">'
            f"{escape(p.display_name)}"
            f'<span class="role">{escape(", ".join(r.value for r in p.roles))}</span>'
            "</button></li>"
            for p in by_org.get(org.msp_id, [])
        )
        sections.append(
            f'<section aria-label="{escape(org.name)}"><h2>{escape(org.name)} '
            f"<small>({escape(org.msp_id)})</small></h2><ul>{buttons}</ul></section>"
        )
    return _document(
        "Sign in to Provena",
        '<p class="note">Development sign-in: choose a demo user. This page does not exist '
        "in production, where your organization's identity provider signs you in.</p>"
        f'<form method="post">{fields}{"".join(sections)}</form>',
    )


def error_page(message: str) -> str:
    return _document("Sign-in request refused", f"<p>{escape(message)}</p>")


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
