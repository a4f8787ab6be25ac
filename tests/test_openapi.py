"""The API described as the ecosystem expects: /api/openapi.json is valid OpenAPI 3.1 and covers every /api
route of the URL map, with its methods, and no route that is not there."""

from __future__ import annotations

import re

from openapi_spec_validator import validate


def test_the_openapi_document_is_valid_and_covers_every_api_route(app, client):
    response = client.get("/api/openapi.json")  # public: no login needed to read it
    assert response.status_code == 200
    spec = response.json
    validate(spec)
    described = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api"))
        served |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served - described == set(), "routes the document leaves out"
    assert described - served == set(), "routes the document invents"
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and "400" in op["responses"] and "404" in op["responses"], (path, method)
            if op.get("security") != []:
                assert "401" in op["responses"], (path, method)
            if method in ("post", "patch") and not re.search(r"/(close|reopen|archive|revert)$", path):
                assert "requestBody" in op, (path, method)
    assert set(spec["components"]["securitySchemes"]) == {"session", "bearer"}
