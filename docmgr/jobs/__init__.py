"""Background work: a job queue (:mod:`docmgr.jobs.queue`) and the status every job keeps in the database
(:mod:`docmgr.jobs.models`) — its state, progress and error, shown to the people waiting for it."""
