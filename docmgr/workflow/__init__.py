"""Workflows and permissions, in one home.

- :mod:`docmgr.workflow.definitions`: the data — roles and their global permissions, the states of each
  workflow with their permission maps, the transitions and their guards;
- :mod:`docmgr.workflow.permissions`: the checks, in Python (one document, one case file, the route guard)
  and as the search index records them;
- :mod:`docmgr.workflow.transitions`: moving a document (guards, effects, history);
- :mod:`docmgr.workflow.numbering`: the number series of outgoing documents.

The SQL form of the same rules, for lists, is :func:`docmgr.documents.queries.permitted`; the permission
table test runs all three against each other.
"""
