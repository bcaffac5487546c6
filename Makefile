# gridmap: one entry point for set-up, the app, the tests and the benchmarks.
# Works as root on a fresh Debian 12 (QGIS 3.22, Python 3.11) or Debian 13
# (QGIS 3.40, Python 3.13). See README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# QGIS's Python bindings are built for the system interpreter, never a pyenv one.
SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.gridmap-installed
DEMO_DB ?= $(HOME)/.local/share/gridmap/demo-dongsheng.sqlite
OS_PACKAGES := python3-qgis qgis-providers python3-gdal python3-numpy python3-venv curl \
    libsqlite3-mod-spatialite spatialite-bin gdal-bin xvfb xauth \
    qttools5-dev-tools qttranslations5-l10n qgis-common fonts-noto-cjk imagemagick make postgresql \
    qgis python3-pyproj python3-pil libgdal-dev python3-dev gcc g++
export QT_QPA_FONTDIR ?= /usr/share/fonts

.PHONY: setup os-packages run demo test lint unit bench translations clean-venv plugin test-plugin

# What QGIS desktop's Python needs for the gridmap plugin (tools/qgis-requirements.txt), in a folder of its
# own: QGIS uses the OS's numpy, PROJ and GDAL, so nothing from the venv is mixed in.
QGIS_PYTHON := .qgis-python
QGIS_STAMP := $(QGIS_PYTHON)/.installed

setup: os-packages $(STAMP) $(QGIS_STAMP)

# Installs only what is missing, so a second run costs one dpkg query.
os-packages:
	@missing=$$(for p in $(OS_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing OS packages:" $$missing; \
	  apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@# PostGIS for the PostgreSQL server the release ships (15 on Debian 12, 17 on Debian 13); the
	@# tests start a throwaway cluster of their own with it, nothing runs as a service.
	@major=$$(ls /usr/lib/postgresql | sort -n | tail -1); postgis=postgresql-$$major-postgis-3; \
	if ! dpkg-query -W -f='$${Status}\n' $$postgis 2>/dev/null | grep -q 'install ok installed'; then \
	  echo "Installing $$postgis"; apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$postgis; \
	fi

$(STAMP): setup.cfg pyproject.toml
	@test -x $(PY) || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(PY) -c 'import qgis.core, shapely, pyproj, fiona; assert shapely.__version__ >= "2.1"'
	@touch $(STAMP)

$(QGIS_STAMP): tools/qgis-requirements.txt $(STAMP)
	rm -rf $(QGIS_PYTHON)
	@# the venv's pip: the same interpreter as QGIS's (the system python3), and no python3-pip package needed
	$(PY) -m pip install -q --disable-pip-version-check --target $(QGIS_PYTHON) --no-deps \
	  --no-binary pyogrio -r tools/qgis-requirements.txt
	@touch $(QGIS_STAMP)

# The QGIS plugin: dist/gridmap-qgis-plugin.zip, for QGIS's Plugins > Install from ZIP (README)
plugin: setup
	$(PY) tools/build_qgis_plugin.py

# Only the test that installs the zip into real QGIS desktop under Xvfb (make test runs it too)
test-plugin: setup
	$(PY) -m pytest tests/plugin $(PYTEST_ARGS)

demo: setup
	@test -f "$(DEMO_DB)" || $(VENV)/bin/gridmap demo --db "$(DEMO_DB)"

# Opens the app on the demo city with the intake service and a gentle stream of simulated reports
# (stopped when the app closes); under a virtual display when there is no screen.
INTAKE_PORT ?= 8750
SIMULATE_RATE ?= 0.2
run: demo
	@$(VENV)/bin/gridmap serve "$(DEMO_DB)" --port $(INTAKE_PORT) > /tmp/gridmap-intake.log 2>&1 & serve=$$!; \
	 trap 'kill $$serve $$sim 2>/dev/null' EXIT; \
	 for i in $$(seq 50); do curl -sf http://127.0.0.1:$(INTAKE_PORT)/openapi.json >/dev/null && break; sleep 0.2; done; \
	 $(VENV)/bin/gridmap simulate http://127.0.0.1:$(INTAKE_PORT) --db "$(DEMO_DB)" --rate $(SIMULATE_RATE) \
	   --workers 1 > /tmp/gridmap-simulate.log 2>&1 & sim=$$!; \
	 echo "Intake service on http://127.0.0.1:$(INTAKE_PORT) (OpenAPI at /openapi.json), a simulated report every few seconds"; \
	 if [ -n "$${DISPLAY:-}" ]; then $(PY) main.py --db "$(DEMO_DB)"; \
	 else echo "No DISPLAY: running under Xvfb"; xvfb-run -a -s '-screen 0 1920x1080x24' $(PY) main.py --db "$(DEMO_DB)"; fi

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/flake8 gridmap plugins tests benchmarks main.py

test: setup lint
	QT_QPA_PLATFORM=offscreen PYTEST_QT_API=$$($(PY) -c 'from qgis.PyQt.QtCore import PYQT_VERSION_STR as v; print("pyqt" + v[0])') \
	  $(PY) -m pytest $(PYTEST_ARGS)

unit: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/unit $(PYTEST_ARGS)

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks $(BENCH_ARGS)

clean-venv:
	rm -rf $(VENV)
