"""``phi-guard envoy-config --check``: find the Envoy settings that would let traffic bypass the guard.

Reads a bootstrap (``static_resources``) or an admin ``/config_dump`` (YAML or JSON). Each finding has a
stable code; anything the checker cannot see (RDS routes missing from the file, filter configs over ECDS,
matcher-wrapped filters) is itself a finding, because a guard that cannot be shown to run must be assumed
not to.

Codes:
  PG001 no ext_authz filter                 PG002 no ext_proc filter
  PG003 guard filter after the router       PG004 ext_authz failure_mode_allow
  PG005 ext_proc failure_mode_allow         PG006 ext_authz status_on_error missing or not 5xx
  PG007 response body not processed         PG008 allow_mode_override without a safe allow list
  PG009 request body not sent to ext_authz  PG010 partial request body allowed
  PG011 stream_idle_timeout disabled        PG012 no max_stream_duration
  PG013 ext_authz disabled on a model route PG014 ext_proc disabled on a model route
  PG015 ext_proc observability (async) mode PG016 guard filter disabled by default / partly enabled
  PG017 listener without an HTTP manager    PG018 routes not visible (RDS)
  PG019 filter config not visible (ECDS) or wrapped in a matcher
  PG020 protocol upgrades bypass body processing
  PG021 no listener found                   PG022 upstream response headers not filtered
  PG023 upstream response trailers not removed
  PG024 early-body metadata without send_body_without_waiting_for_header_response (the guard would deadlock)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from sidecar.protocol import EARLY_BODY_METADATA

T_HCM_SUFFIX = "http_connection_manager.v3.HttpConnectionManager"
T_EXT_AUTHZ = "envoy.extensions.filters.http.ext_authz.v3.ExtAuthz"
T_EXT_PROC = "envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor"
T_ROUTER = "envoy.extensions.filters.http.router.v3.Router"
T_HEADER_MUTATION = "envoy.extensions.filters.http.header_mutation.v3.HeaderMutation"
T_FILTER_CONFIG = "envoy.config.route.v3.FilterConfig"
T_MATCHER_WRAPPER = "envoy.extensions.common.matching.v3.ExtensionWithMatcher"
GUARD_API_CLUSTERS = frozenset({"phi_guard_http"})
REDACTING_BODY_MODES = frozenset({"STREAMED", "BUFFERED", "FULL_DUPLEX_STREAMED"})
_ZERO_DURATIONS = frozenset({"0s", "0", "0.0s", "0.000s"})

_KIND_BY_TYPE = {T_EXT_AUTHZ: "ext_authz", T_EXT_PROC: "ext_proc", T_ROUTER: "router"}
_KIND_BY_NAME = {
    "envoy.filters.http.ext_authz": "ext_authz",
    "envoy.ext_authz": "ext_authz",
    "envoy.filters.http.ext_proc": "ext_proc",
    "envoy.filters.http.router": "router",
    "envoy.router": "router",
}


class CheckInputError(Exception):
    """The file cannot be read as an Envoy configuration (one line, no content echoed)."""


@dataclass(frozen=True, order=True)
class Finding:
    code: str
    where: str
    message: str

    def line(self, source: str) -> str:
        return f"{source}: {self.code} {self.where}: {self.message}"


def _type_name(cfg: Mapping[str, Any] | None) -> str:
    t = (cfg or {}).get("@type", "")
    return str(t).rsplit("/", 1)[-1]


def _truthy(v: Any) -> bool:
    return v is True or (isinstance(v, str) and v.lower() == "true")


def _duration_zero(v: Any) -> bool:
    if isinstance(v, Mapping):
        return not v.get("seconds") and not v.get("nanos")
    return str(v).strip() in _ZERO_DURATIONS


def _drops_all_response_trailers(f: Mapping[str, Any]) -> bool:
    """A header_mutation filter that removes every response trailer (``remove_on_match`` on ``.*``)."""
    cfg = f.get("typed_config") or {}
    if _type_name(cfg) != T_HEADER_MUTATION:
        return False
    for m in ((cfg.get("mutations") or {}).get("response_trailers_mutations") or []):
        matcher = ((m or {}).get("remove_on_match") or {}).get("key_matcher") or {}
        if ((matcher.get("safe_regex") or {}).get("regex") in (".*", ".+")) and not _truthy(matcher.get("invert")):
            return True
    return False


def _filter_kind(f: Mapping[str, Any]) -> str | None:
    kind = _KIND_BY_TYPE.get(_type_name(f.get("typed_config")))
    return kind or _KIND_BY_NAME.get(str(f.get("name", "")))


# --------------------------------------------------------------------------- input shapes


def load_config(path: Path) -> dict[str, Any]:
    """Parse YAML or JSON. Raises CheckInputError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckInputError(
            f"cannot read {path}: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}"
        ) from None
    try:
        doc = yaml.safe_load(text)  # JSON is YAML
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise CheckInputError(f"{path}: not valid YAML/JSON{where}") from None
    if not isinstance(doc, dict):
        raise CheckInputError(f"{path}: expected a mapping (a bootstrap or a config_dump)")
    return doc


def _listeners_and_routes(doc: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    listeners: list[dict[str, Any]] = []
    routes: dict[str, dict[str, Any]] = {}
    static = doc.get("static_resources")
    if isinstance(static, Mapping):
        listeners += [x for x in static.get("listeners") or [] if isinstance(x, dict)]
    for cfg in doc.get("configs") or []:  # admin /config_dump
        if not isinstance(cfg, Mapping):
            continue
        t = _type_name(cfg)
        if t.endswith("ListenersConfigDump"):
            for s in cfg.get("static_listeners") or []:
                if isinstance(s.get("listener"), dict):
                    listeners.append(s["listener"])
            for d in cfg.get("dynamic_listeners") or []:
                active = (d or {}).get("active_state") or {}
                if isinstance(active.get("listener"), dict):
                    listeners.append(active["listener"])
        elif t.endswith("RoutesConfigDump"):
            for s in (cfg.get("static_route_configs") or []) + (cfg.get("dynamic_route_configs") or []):
                rc = (s or {}).get("route_config")
                if isinstance(rc, dict) and rc.get("name"):
                    routes[str(rc["name"])] = rc
    for r in doc.get("resources") or []:  # an LDS/RDS discovery response
        if isinstance(r, Mapping):
            if _type_name(r).endswith("Listener"):
                listeners.append(dict(r))
            elif _type_name(r).endswith("RouteConfiguration") and r.get("name"):
                routes[str(r["name"])] = dict(r)
    return listeners, routes


# --------------------------------------------------------------------------- checks


def _check_ext_authz(cfg: Mapping[str, Any], where: str) -> Iterator[Finding]:
    if _truthy(cfg.get("failure_mode_allow")):
        yield Finding(
            "PG004", where, "failure_mode_allow is true: a guard outage lets requests through unchecked"
        )
    status = (cfg.get("status_on_error") or {}).get("code")
    if status is None:
        yield Finding(
            "PG006",
            where,
            "no status_on_error: a guard outage answers 403, indistinguishable from a "
            "policy denial (set a 5xx, e.g. 503)",
        )
    else:
        try:
            ok = 500 <= int(status) <= 599
        except (TypeError, ValueError):
            ok = str(status) in ("ServiceUnavailable", "InternalServerError", "BadGateway", "GatewayTimeout")
        if not ok:
            yield Finding(
                "PG006", where, "status_on_error is not a 5xx: guard failures look like ordinary answers"
            )
    body = cfg.get("with_request_body")
    if not isinstance(body, Mapping):
        yield Finding(
            "PG009", where, "with_request_body missing: the guard never sees prompts (no request policy)"
        )
    elif _truthy(body.get("allow_partial_message")):
        yield Finding(
            "PG010",
            where,
            "with_request_body.allow_partial_message is true: the guard sees a truncated "
            "body that may hide PHI",
        )
    enabled = cfg.get("filter_enabled")
    if isinstance(enabled, Mapping):
        num = (enabled.get("default_value") or {}).get("numerator", 100)
        den = (enabled.get("default_value") or {}).get("denominator", "HUNDRED")
        if not (den == "HUNDRED" and int(num) >= 100):
            yield Finding("PG016", where, "filter_enabled below 100%: some requests skip the guard")
    if cfg.get("filter_enabled_metadata"):
        yield Finding(
            "PG016", where, "filter_enabled_metadata set: requests without that metadata skip the guard"
        )


def _unsafe_mode(mode: Mapping[str, Any] | None) -> str | None:
    body = str((mode or {}).get("response_body_mode", "NONE"))
    if body not in REDACTING_BODY_MODES:
        return f"response_body_mode {body}"
    req = str((mode or {}).get("request_body_mode", "NONE"))
    if req == "BUFFERED_PARTIAL":
        return "request_body_mode BUFFERED_PARTIAL"
    return None


def _check_ext_proc(cfg: Mapping[str, Any], where: str) -> Iterator[Finding]:
    if _truthy(cfg.get("failure_mode_allow")):
        yield Finding(
            "PG005", where, "failure_mode_allow is true: a processor timeout or outage passes raw bodies"
        )
    if _truthy(cfg.get("observability_mode")):
        yield Finding(
            "PG015", where, "observability_mode is true: bodies are copied to the guard, never redacted"
        )
    mode = cfg.get("processing_mode") or {}
    body = str(mode.get("response_body_mode", "NONE"))
    if body not in REDACTING_BODY_MODES:
        yield Finding(
            "PG007", where, f"response_body_mode is {body}: response bodies reach the client unredacted"
        )
    if str(mode.get("request_body_mode", "NONE")) == "BUFFERED_PARTIAL":
        yield Finding(
            "PG010", where, "request_body_mode BUFFERED_PARTIAL: the guard sees a truncated request body"
        )
    if str(mode.get("response_header_mode", "DEFAULT")) == "SKIP":
        yield Finding(
            "PG022", where, "response_header_mode SKIP: upstream response headers reach the client unfiltered"
        )
    elif not _truthy((cfg.get("mutation_rules") or {}).get("allow_envoy")):
        yield Finding(
            "PG022", where, "mutation_rules.allow_envoy is not true: upstream x-envoy-* response headers cannot "
            "be dropped (Envoy ignores the removal silently)"
        )
    if _says_early_body(cfg) and not _truthy(cfg.get("send_body_without_waiting_for_header_response")):
        yield Finding(
            "PG024", where, f"grpc_service sends {EARLY_BODY_METADATA} but send_body_without_waiting_for_header_"
            "response is not true: the guard holds the headers reply for a body Envoy will not send (every "
            "JSON answer times out)"
        )
    if _truthy(cfg.get("allow_mode_override")):
        allowed = cfg.get("allowed_override_modes") or []
        if not allowed:
            yield Finding(
                "PG008",
                where,
                "allow_mode_override without allowed_override_modes: the processor (or "
                "anyone answering for it) can switch body processing off",
            )
        else:
            for m in allowed:
                why = _unsafe_mode(m)
                if why:
                    yield Finding("PG008", where, f"allowed_override_modes permits {why}")


def _says_early_body(cfg: Mapping[str, Any]) -> bool:
    """Whether the filter's gRPC initial metadata tells the guard that body chunks come before its headers reply."""
    meta = (cfg.get("grpc_service") or {}).get("initial_metadata") or []
    return any(str((m or {}).get("key", "")).lower() == EARLY_BODY_METADATA for m in meta)


def _route_action_cluster(route: Mapping[str, Any]) -> tuple[bool, set[str]]:
    action = route.get("route")
    if not isinstance(action, Mapping):
        return False, set()
    clusters: set[str] = set()
    if action.get("cluster"):
        clusters.add(str(action["cluster"]))
    for wc in (action.get("weighted_clusters") or {}).get("clusters") or []:
        clusters.add(str((wc or {}).get("name", "")))
    return True, clusters


def _per_filter(tpfc: Mapping[str, Any] | None, name: str) -> Mapping[str, Any] | None:
    cfg = (tpfc or {}).get(name)
    return cfg if isinstance(cfg, Mapping) else None


def _disabled(cfg: Mapping[str, Any] | None) -> bool:
    if cfg is None:
        return False
    if _type_name(cfg) == T_FILTER_CONFIG:
        return _truthy(cfg.get("disabled"))
    return _truthy(cfg.get("disabled"))


def _check_routes(rc: Mapping[str, Any], names: Mapping[str, str], where: str) -> Iterator[Finding]:
    """names: filter name -> kind (ext_authz/ext_proc) as configured on this HCM."""
    top = rc.get("typed_per_filter_config")
    for vh in rc.get("virtual_hosts") or []:
        vtop = (vh or {}).get("typed_per_filter_config")
        for i, route in enumerate((vh or {}).get("routes") or []):
            reaches, clusters = _route_action_cluster(route)
            if not reaches:
                continue
            rname = route.get("name") or f"#{i}"
            loc = f"{where} vhost={vh.get('name', '?')} route={rname}"
            layers = [route.get("typed_per_filter_config")]
            layers += [
                (wc or {}).get("typed_per_filter_config")
                for wc in ((route.get("route") or {}).get("weighted_clusters") or {}).get("clusters") or []
            ]
            for fname, kind in names.items():
                effective = None
                for scope in (route.get("typed_per_filter_config"), vtop, top):
                    effective = _per_filter(scope, fname)
                    if effective is not None:
                        break
                per_wc = [_per_filter(layer, fname) for layer in layers[1:]]
                if kind == "ext_authz" and (_disabled(effective) or any(_disabled(c) for c in per_wc)):
                    yield Finding(
                        "PG013",
                        loc,
                        f"ext_authz ({fname}) disabled on a route to "
                        f"{', '.join(sorted(clusters)) or 'an upstream'}",
                    )
                if kind == "ext_proc":
                    if (
                        _disabled(effective) or any(_disabled(c) for c in per_wc)
                    ) and not clusters <= GUARD_API_CLUSTERS:
                        yield Finding(
                            "PG014",
                            loc,
                            f"ext_proc ({fname}) disabled on a route to "
                            f"{', '.join(sorted(clusters)) or 'an upstream'}",
                        )
                    for c in [effective, *per_wc]:
                        cfg = (c or {}).get("config", c) if _type_name(c) == T_FILTER_CONFIG else c
                        ov = (cfg or {}).get("overrides") or {}
                        if ov.get("processing_mode") and _unsafe_mode(ov["processing_mode"]):
                            yield Finding(
                                "PG007",
                                loc,
                                f"route overrides ext_proc to {_unsafe_mode(ov['processing_mode'])}",
                            )
                        if _truthy(ov.get("failure_mode_allow")):
                            yield Finding("PG005", loc, "route overrides ext_proc failure_mode_allow to true")
            if any(
                _truthy((u or {}).get("enabled", True))
                for u in (route.get("route") or {}).get("upgrade_configs") or []
            ):
                yield Finding(
                    "PG020", loc, "route enables protocol upgrades: upgraded streams bypass body processing"
                )


def _check_hcm(
    hcm: Mapping[str, Any], routes: Mapping[str, Mapping[str, Any]], where: str
) -> Iterator[Finding]:
    filters = [f for f in hcm.get("http_filters") or [] if isinstance(f, Mapping)]
    kinds: dict[str, str] = {}
    router_at: int | None = None
    seen = {"ext_authz": False, "ext_proc": False}
    drops_trailers = False
    for i, f in enumerate(filters):
        fname = str(f.get("name", f"#{i}"))
        floc = f"{where} filter={fname}"
        if "config_discovery" in f:
            urls = [str(u).rsplit("/", 1)[-1] for u in (f["config_discovery"] or {}).get("type_urls") or []]
            hidden = next((_KIND_BY_TYPE[u] for u in urls if u in _KIND_BY_TYPE), _KIND_BY_NAME.get(fname))
            if hidden in seen:
                seen[hidden] = True
            yield Finding("PG019", floc, "filter config comes from ECDS and cannot be checked here")
            continue
        if _type_name(f.get("typed_config")) == T_MATCHER_WRAPPER:
            inner = (f.get("typed_config") or {}).get("extension_config") or {}
            hidden = _filter_kind(inner)
            if hidden in seen:
                seen[hidden] = True
                yield Finding(
                    "PG019", floc, "guard filter wrapped in a matcher: requests that do not match skip it"
                )
            continue
        if _drops_all_response_trailers(f) and not _truthy(f.get("disabled")):
            drops_trailers = True
        kind = _filter_kind(f)
        if kind == "router":
            router_at = i if router_at is None else router_at
            continue
        if kind not in ("ext_authz", "ext_proc"):
            continue
        seen[kind] = True
        kinds[fname] = kind
        if router_at is not None:
            yield Finding("PG003", floc, "guard filter placed after the router: it never runs")
        if _truthy(f.get("disabled")):
            yield Finding("PG016", floc, "filter disabled by default (enabled only where a route says so)")
        cfg = f.get("typed_config") or {}
        yield from (_check_ext_authz(cfg, floc) if kind == "ext_authz" else _check_ext_proc(cfg, floc))
    if not seen["ext_authz"]:
        yield Finding(
            "PG001", where, "no ext_authz filter: requests reach the model without identity or policy"
        )
    if not seen["ext_proc"]:
        yield Finding("PG002", where, "no ext_proc filter: responses reach the client without PHI redaction")
    elif not drops_trailers:
        yield Finding(
            "PG023", where, "upstream response trailers are not removed: ext_proc never sees them, so they reach "
            "the client unscanned (add the phi_guard.drop_response_trailers filter)"
        )
    if _duration_zero(hcm.get("stream_idle_timeout", "300s")):
        yield Finding(
            "PG011", where, "stream_idle_timeout disabled: a stuck processor can hold a stream forever"
        )
    msd = (hcm.get("common_http_protocol_options") or {}).get("max_stream_duration")
    rc = hcm.get("route_config")
    if rc is None and isinstance(hcm.get("rds"), Mapping):
        rc = routes.get(str(hcm["rds"].get("route_config_name", "")))
        if rc is None:
            yield Finding(
                "PG018",
                where,
                "routes come from RDS and are not in this file: per-route settings "
                "cannot be checked (check an admin /config_dump instead)",
            )
    elif rc is None:
        yield Finding("PG018", where, "no route_config: per-route settings cannot be checked")
    if isinstance(rc, Mapping):
        yield from _check_routes(rc, kinds, where)
        route_msd = all(
            ((r.get("route") or {}).get("max_stream_duration") or {}).get("max_stream_duration")
            for vh in rc.get("virtual_hosts") or []
            for r in (vh or {}).get("routes") or []
            if isinstance(r.get("route"), Mapping)
        )
    else:
        route_msd = False
    if (msd is None or _duration_zero(msd)) and not route_msd:
        yield Finding(
            "PG012", where, "no max_stream_duration: a slow or stuck processor is bounded only by idleness"
        )
    if any(_truthy((u or {}).get("enabled", True)) for u in hcm.get("upgrade_configs") or []):
        yield Finding(
            "PG020",
            where,
            "upgrade_configs enabled: upgraded (websocket/CONNECT) streams bypass body processing",
        )


def check_config(doc: Mapping[str, Any]) -> list[Finding]:
    """All findings for one parsed config, sorted and de-duplicated."""
    listeners, routes = _listeners_and_routes(doc)
    findings: list[Finding] = []
    if not listeners:
        return [Finding("PG021", "config", "no listener found (expected static_resources or a config_dump)")]
    for li, lst in enumerate(listeners):
        lname = lst.get("name") or f"#{li}"
        chains = list(lst.get("filter_chains") or [])
        if lst.get("default_filter_chain"):
            chains.append(lst["default_filter_chain"])
        for ci, chain in enumerate(chains):
            where = f"listener={lname} chain={(chain or {}).get('name') or ci}"
            hcms = [
                f
                for f in (chain or {}).get("filters") or []
                if _type_name(f.get("typed_config")).endswith(T_HCM_SUFFIX)
                or f.get("name")
                in ("envoy.filters.network.http_connection_manager", "envoy.http_connection_manager")
            ]
            if not hcms:
                yield_lines = (
                    "no HTTP connection manager (e.g. tcp_proxy): traffic bypasses both guard filters"
                )
                findings.append(Finding("PG017", where, yield_lines))
                continue
            for h in hcms:
                findings.extend(_check_hcm(h.get("typed_config") or {}, routes, where))
    return sorted(set(findings))


def check_files(paths: list[Path], out: TextIO, err: TextIO) -> int:
    """Print one line per finding. 0: clean, 1: findings, 2: a file could not be read."""
    status = 0
    for path in paths:
        try:
            doc = load_config(path)
        except CheckInputError as exc:
            print(f"envoy-config --check: {exc}", file=err)
            status = 2
            continue
        found = check_config(doc)
        for f in found:
            print(f.line(str(path)), file=out)
        if found and status == 0:
            status = 1
    return status
