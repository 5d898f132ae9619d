# 学籍 Gakuseki — the two commands of the README:
#   make run    install everything (system packages too) and open the demo school
#   make test   install everything and run the whole test suite (what CI runs)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STORE ?= demo-store
APT_PACKAGES := tesseract-ocr tesseract-ocr-jpn fonts-ipaexfont xvfb xauth poppler-utils libgl1 libegl1 \
	libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 \
	libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0

.PHONY: run test setup system-packages lint demo clean package

# The demo's passphrase: $GAKUSEKI_PASSPHRASE if set, else a new random one, shown once; the import and
# the roster listing use it too, so the whole job runs without a terminal.
run: setup
	@export GAKUSEKI_PASSPHRASE="$${GAKUSEKI_PASSPHRASE:-$$($(BIN)/python -c 'import secrets; print("-".join(secrets.token_hex(3) for _ in range(3)))')}"; \
	$(BIN)/gakuseki demo --store $(DEMO_STORE) --replace && \
	echo "  デモのパスフレーズ / demo passphrase: $$GAKUSEKI_PASSPHRASE" && \
	$(BIN)/gakuseki --store $(DEMO_STORE) ledger import resources/samples/sample_fax.tif && \
	if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(BIN)/gakuseki --store $(DEMO_STORE); \
	else \
		echo "画面がないため GUI は開きません。ヘッドレスで名簿を表示します / No display: showing the roster headless"; \
		$(BIN)/gakuseki --store $(DEMO_STORE) students list; \
	fi

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

setup: system-packages $(STAMP)

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "root が必要です / run as root to install:$$missing"; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m app.translations compile
	@touch $(STAMP)

package: setup
	bash packaging/build.sh

clean:
	rm -rf $(VENV) $(DEMO_STORE) build dist
