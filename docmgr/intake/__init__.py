"""Taking documents in as they really arrive: a file read whole — its text layer, its scanned pages by OCR —
before it becomes a document (:func:`docmgr.intake.reading.read_file`)."""
