# syntax=docker/dockerfile:1
# The phi-guard image: the guard (`phi-guard serve`), the injection webhook (`phi-guard webhook`) and the Envoy
# bootstrap renderer (`phi-guard envoy-config`) used by the Helm chart. Envoy itself runs from the official
# envoyproxy/envoy distroless image (chart value envoy.image).
#
# Consistent with helm/phi-guard: ENTRYPOINT is `phi-guard` (the chart passes only arguments), user 65532 (the
# chart's runAsUser/runAsGroup), read-only root filesystem (state under /var/lib/phi-guard and /tmp, both volumes),
# `python` on PATH (the guard's exec probes use the standard library only), version = Chart.yaml appVersion.
#
# Pinned: the base image by exact version (a release pipeline should add @sha256:<digest> to both FROM lines; this
# machine cannot resolve digests) and the build-only proto compiler by version.
# Build: make image (docker, podman or buildah); releases: .github/workflows/release.yml (buildx, Trivy, GHCR).

FROM docker.io/library/python:3.11.14-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
# The proto compiler is needed only to generate sidecar/_generated; it does not reach the final image.
RUN python -m venv /opt/build && /opt/build/bin/pip install grpcio-tools==1.85.1
COPY pyproject.toml README.md ./
COPY proto ./proto
COPY sidecar ./sidecar
RUN /opt/build/bin/python -m sidecar.audit.build_protos \
 && python -m venv /opt/phi-guard \
 && /opt/phi-guard/bin/pip install --no-compile . \
 && /opt/phi-guard/bin/pip uninstall --yes pip \
 && find /opt/phi-guard -name '__pycache__' -prune -exec rm -rf {} +

FROM docker.io/library/python:3.11.14-slim-bookworm
LABEL org.opencontainers.image.title="phi-guard" \
      org.opencontainers.image.description="HIPAA enforcement for LLM calls: ext_authz/ext_proc for Envoy" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="0.1.0"
ENV PATH=/opt/phi-guard/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --system --gid 65532 phi-guard \
 && useradd --system --uid 65532 --gid 65532 --home-dir /var/lib/phi-guard --no-create-home --shell /usr/sbin/nologin phi-guard \
 && install -d -o 65532 -g 65532 -m 0750 /var/lib/phi-guard \
 && rm -rf /var/lib/apt/lists/* /root/.cache
COPY --from=build /opt/phi-guard /opt/phi-guard
# The shipped policy at the default relative path (opa/), so `docker run IMAGE` works on its own; the chart's
# configuration points the guard at the mounted policy ConfigMap instead. No PHI_GUARD__* variables are set here:
# they would override the chart's configuration file.
COPY opa /var/lib/phi-guard/opa
USER 65532:65532
WORKDIR /var/lib/phi-guard
EXPOSE 9001 9002 8443 15020
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:9002/healthz', timeout=2).status == 200 else 1)"]
ENTRYPOINT ["phi-guard"]
CMD ["serve"]
