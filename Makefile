# docmgr — the two commands of the README, and their parts.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Shared libraries WeasyPrint needs (Debian names), a Times-compatible font, and Tesseract with its
# Vietnamese data (OCR of scans).
APT_PACKAGES = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 \
               tesseract-ocr tesseract-ocr-vie

.PHONY: run test system-deps install install-test

run: install ## set up, load the samples and an admin account, serve on http://$(HOST):$(PORT)
	$(BIN)/docmgr init --admin --sample --no-input
	$(BIN)/docmgr run --host $(HOST) --port $(PORT)

test: install-test ## set up and run the test suite
	$(BIN)/python -m pytest

system-deps:
	@if ! ldconfig -p | grep -q libharfbuzz-subset || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(APT_PACKAGES); \
	  else echo "Cần cài: sudo apt-get install $(APT_PACKAGES)"; fi; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python system-deps
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python system-deps
	$(BIN)/pip install -q -e '.[test]'
