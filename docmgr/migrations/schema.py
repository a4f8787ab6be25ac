"""Schema migrations with Alembic (this folder), run programmatically (``docmgr init``)."""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine


MIGRATIONS = Path(__file__).resolve().parent  # this folder: env.py, script.py.mako, versions/


# The modules that define tables. Imported when a migration runs, not with this module: the models import
# most of docmgr, and this module is imported by the app's set-up.
MODEL_MODULES = ("docmgr.addressbook.models", "docmgr.audit.models", "docmgr.auth.models",
                 "docmgr.casefiles.models", "docmgr.documents.models", "docmgr.intake.models", "docmgr.jobs.models", "docmgr.office",
                 "docmgr.search.queue")


def load_models() -> None:
    """Import every module that defines tables, so Base.metadata is complete."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> str:
    """Create or upgrade the database to the newest schema; idempotent. Returns the revision."""
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return head_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def make_revision(engine: Engine, message: str) -> None:
    """Developer helper: autogenerate a migration from the models (review it before committing)."""
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.revision(cfg, message=message, autogenerate=True)


def for_dialect(dialect: str):
    """Alembic's ``include_object`` for a database of ``dialect``: an index the models create only on another
    database (``Index(...).ddl_if(dialect=...)``) is not expected there."""

    def include(obj, _name, type_, _reflected, _compare_to) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return not (type_ == "index" and condition is not None and condition.dialect not in (None, dialect))

    return include
