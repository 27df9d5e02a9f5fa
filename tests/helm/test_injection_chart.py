"""Issue 19, chart side: the NetworkPolicy of injected pods, injector revisions (canary), and the webhook's RBAC
for the namespace check (exactly the objects the sidecar mounts)."""

from __future__ import annotations

from typing import Any

from .conftest import CHART, HelmRun, Render, by_kind, injector, one


def _expr(selector: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {e["key"]: (e["operator"], tuple(e.get("values", []))) for e in selector["matchExpressions"]}


def test_injected_pods_network_policy_admits_only_envoy_and_probes(render: Render) -> None:
    docs = render([CHART / "ci" / "sidecar-values.yaml"])
    policies = by_kind(docs, "NetworkPolicy", "-injected")
    cfg = injector(docs)
    assert {p["metadata"]["namespace"] for p in policies} == {"ml", "research"}
    for p in policies:
        assert p["spec"]["podSelector"] == {"matchLabels": {"phi-guard.io/injected": "true"}}
        assert p["spec"]["policyTypes"] == ["Ingress"]
        [rule] = p["spec"]["ingress"]
        assert "from" not in rule
        assert {port["port"] for port in rule["ports"]} == {cfg["envoyPort"], cfg["probePort"]}
        assert cfg["modelPort"] not in {port["port"] for port in rule["ports"]}
    off = render([CHART / "ci" / "sidecar-values.yaml"], sets=["injection.networkPolicy.enabled=false"])
    assert not by_kind(off, "NetworkPolicy", "-injected")  # the documented opt-out


def test_default_injector_ignores_revisioned_namespaces_and_pods(render: Render) -> None:
    mwc = one(render(), "MutatingWebhookConfiguration")
    ns_hook, obj_hook = mwc["webhooks"]
    assert _expr(ns_hook["namespaceSelector"])["phi-guard.io/injection"] == ("In", ("enabled",))
    assert _expr(ns_hook["namespaceSelector"])["phi-guard.io/rev"] == ("DoesNotExist", ())
    # a pod in an enabled namespace cannot escape injection by adding a revision label
    assert "phi-guard.io/rev" not in _expr(ns_hook["objectSelector"])
    assert _expr(obj_hook["objectSelector"])["phi-guard.io/rev"] == ("DoesNotExist", ())
    assert injector(render())["injectorRevision"] == ""


def test_canary_revision_selects_its_own_label(render: Render) -> None:
    docs = render([CHART / "ci" / "sidecar-values.yaml"], sets=["injection.revision=canary"])
    mwc = one(docs, "MutatingWebhookConfiguration")
    ns_hook, obj_hook = mwc["webhooks"]
    assert _expr(ns_hook["namespaceSelector"])["phi-guard.io/rev"] == ("In", ("canary",))
    assert _expr(ns_hook["namespaceSelector"])["phi-guard.io/injection"] == ("NotIn", ("disabled",))
    assert _expr(obj_hook["objectSelector"])["phi-guard.io/rev"] == ("In", ("canary",))
    assert _expr(obj_hook["namespaceSelector"])["phi-guard.io/injection"] == ("NotIn", ("enabled", "disabled"))
    assert injector(docs)["injectorRevision"] == "canary"
    for policy in by_kind(docs, "NetworkPolicy", "-injected"):
        assert policy["spec"]["podSelector"]["matchLabels"]["phi-guard.io/rev"] == "canary"


def test_webhook_may_read_exactly_what_the_sidecar_mounts(render: Render) -> None:
    docs = render([CHART / "ci" / "sidecar-values.yaml"])
    cfg = injector(docs)
    role = one(docs, "ClusterRole")
    rules = {r["resources"][0]: r for r in role["rules"]}
    assert all(r["verbs"] == ["get"] for r in role["rules"])
    mounted_cms = {v["configMap"]["name"] for v in cfg["volumes"] if "configMap" in v}
    mounted_secrets = {v["secret"]["secretName"] for v in cfg["volumes"] if "secret" in v}
    assert set(rules["configmaps"]["resourceNames"]) == mounted_cms
    assert set(rules["secrets"]["resourceNames"]) == mounted_secrets
    binding = one(docs, "ClusterRoleBinding")
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"][0]["name"] == one(docs, "Deployment", "-webhook")["spec"]["template"]["spec"][
        "serviceAccountName"
    ]
    assert cfg["checkObjects"] is True


def test_helm_mode_with_an_existing_ca_renders_the_same_every_time(render: Render, run_helm: HelmRun) -> None:
    """GitOps: with the operator's CA Secret and its certificate in values, offline renders are identical (the
    generated-CA default differs per offline render; test_chart_render shows that control)."""
    import base64

    bundle = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").decode()
    sets = ["webhook.tls.existingCASecret=webhook-ca-from-vault", f"webhook.tls.caBundle={bundle}"]
    first, second = render(sets=sets, fresh=True), render(sets=sets, fresh=True)
    assert first == second
    assert not by_kind(first, "Secret")
    mwc = one(first, "MutatingWebhookConfiguration")
    assert all(h["clientConfig"]["caBundle"] == bundle for h in mwc["webhooks"])
    pod = one(first, "Deployment", "-webhook")["spec"]["template"]["spec"]
    tls = next(v for v in pod["volumes"] if v["name"] == "tls")
    assert tls["secret"]["secretName"] == "webhook-ca-from-vault"
    out = run_helm("template", "rel", str(CHART), "--set", sets[0], check=False)
    assert out.returncode != 0 and "caBundle" in out.stderr


def test_two_releases_side_by_side_do_not_collide(run_helm: HelmRun) -> None:
    from sidecar.webhook import strict_yaml

    from .conftest import NAMESPACE

    def objects(release: str, *sets: str) -> set[tuple[str, str, str]]:
        values = str(CHART / "ci" / "sidecar-values.yaml")
        args = ["template", release, str(CHART), "--namespace", NAMESPACE, "-f", values]
        for s in sets:
            args += ["--set", s]
        docs = [d for d in strict_yaml.load_all(run_helm(*args).stdout) if d]
        return {(d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"]) for d in docs}

    stable, canary = objects("stable"), objects("canary", "injection.revision=canary")
    assert stable and canary and not stable & canary
