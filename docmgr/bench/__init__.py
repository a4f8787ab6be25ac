"""Benchmarks: ``docmgr bench …`` commands that print figures (never timed tests).

- :mod:`docmgr.bench.archive`: extraction and import over the corpus, search against SQLite FTS5 at scale, and
  reading the hostile files of the security review through the limited reader;
- :mod:`docmgr.bench.printing`: each printed form against WeasyPrint's bare page.
"""
