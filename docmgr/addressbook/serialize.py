"""The address book as JSON (the API and the forms' values)."""

from __future__ import annotations

from docmgr.addressbook.models import AddressGroup, Organization


def organization_json(org: Organization) -> dict:
    return {"id": org.id, "kind": org.kind, "name": org.name, "short_name": org.short_name, "code": org.code,
            "address": org.address, "phone": org.phone, "email": org.email, "aliases": org.alias_list}


def group_json(group: AddressGroup) -> dict:
    return {"id": group.id, "name": group.name, "aliases": group.alias_list,
            "members": [m.id for m in group.members]}


def resolution_json(resolution) -> dict:
    return {"lines": [{
        "text": line.text, "kind": line.kind, "how": line.how, "score": line.score, "flagged": line.flagged,
        "organization_id": line.organization.id if line.organization else None,
        "group_id": line.group.id if line.group else None,
        "suggestion": ({"type": "group" if isinstance(line.suggestion, AddressGroup) else "organization",
                        "id": line.suggestion.id, "name": line.suggestion.name} if line.suggestion else None),
        "addressees": [a.name for a in line.addressees]} for line in resolution.lines],
        "addressees": [{"name": a.name, "address": a.address, "organization_id": a.organization.id if a.organization else None,
                        "internal": a.is_internal, "group": a.group} for a in resolution.addressees]}
