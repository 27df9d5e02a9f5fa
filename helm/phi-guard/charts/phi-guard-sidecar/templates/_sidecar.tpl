{{/*
phi-guard sidecar: the single definition of the containers and volumes that put Envoy and the guard in front of a
model container. Used by the phi-guard chart (rendered into the injection webhook's sidecar.yaml) and by teams
that add the sidecar in their own pod templates:

  initContainers:
    {{- include "phi-guard-sidecar.initContainers" (dict "values" .Values.phiGuard) | nindent 4 }}
    {{- include "phi-guard-sidecar.nativeSidecars" (dict "values" .Values.phiGuard) | nindent 4 }}
  containers:
    - name: model            # listens on 127.0.0.1:<modelPort>
  volumes:
    {{- include "phi-guard-sidecar.volumes" (dict "values" .Values.phiGuard "namespace" .Release.Namespace) | nindent 4 }}

The ConfigMaps named by configMap/policyConfigMap must exist in the pod's namespace (the phi-guard chart creates
them in every namespace listed in injection.namespaces).
*/}}

{{- define "phi-guard-sidecar.defaults" -}}
guardImage:
  repository: ghcr.io/phi-guard/phi-guard
  tag: "0.1.0"
  digest: ""
envoyImage:
  repository: docker.io/envoyproxy/envoy
  tag: distroless-v1.40.0
  digest: ""
imagePullPolicy: IfNotPresent
# Envoy listens on envoyPort on every pod address; the model must listen on 127.0.0.1:modelPort only.
envoyPort: 8443
modelPort: 8000
# Which bootstrap `phi-guard envoy-config --out` wrote is Envoy's: "sidecar" (mTLS listener, client certificates
# required, files from tlsSecret) or "local" (the listener in the guard config's envoy section).
envoyBootstrap: sidecar
# kubernetes.io/tls Secret with tls.crt, tls.key and ca.crt (the CA that signs callers' certificates).
tlsSecret: phi-guard-sidecar-tls
# The guard answers Envoy on a Unix socket in a pod-private volume (its answers carry upstream credentials, so
# nothing outside the pod may ask); its admin server (probes, metrics) is on loopback.
guardAdminPort: 9002
configMap: phi-guard-sidecar
policyConfigMap: phi-guard-policy
# key -> path pairs that restore the policy directory tree from the flat ConfigMap keys.
policyItems: []
upstreamCredentialSecret:
  name: ""
  key: credential
auditKeySecret: ""
# ConfigMap of site vocabularies (staff.txt, facilities.txt, units.txt, streets.txt), mounted whole (no subPath,
# so the kubelet's updates reach the guard, which reloads them) at /etc/phi-guard/site-vocabulary. "": none.
siteVocabularyConfigMap: ""
stateSizeLimit: 1Gi
resources:
  init:
    requests: {cpu: 50m, memory: 64Mi}
    limits: {cpu: 500m, memory: 256Mi}
  envoy:
    requests: {cpu: 50m, memory: 64Mi}
    limits: {cpu: "1", memory: 256Mi}
  guard:
    requests: {cpu: 100m, memory: 192Mi}
    limits: {cpu: "1", memory: 768Mi}
  opa:
    requests: {cpu: 50m, memory: 64Mi}
    limits: {cpu: 500m, memory: 256Mi}
opa:
  enabled: false
  image:
    repository: docker.io/openpolicyagent/opa
    tag: 1.2.0-static
    digest: ""
  # ConfigMap (key config.yaml) with OPA's own configuration: bundles, decision logs.
  configMap: ""
  port: 8181
  diagnosticPort: 8282
{{- end }}

{{/* The caller's values over the defaults. Input: (dict "values" $v). */}}
{{- define "phi-guard-sidecar.values" -}}
{{- $out := include "phi-guard-sidecar.defaults" . | fromYaml -}}
{{- range $k, $val := (.values | default dict) -}}
{{- if and (kindIs "map" $val) (kindIs "map" (index $out $k)) -}}
{{- $_ := set $out $k (mergeOverwrite (index $out $k) (deepCopy $val)) -}}
{{- else -}}
{{- /* set, not merge: an empty string must be able to switch a default off (e.g. tlsSecret) */ -}}
{{- $_ := set $out $k $val -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end }}

{{- define "phi-guard-sidecar.image" -}}
{{- if .digest }}{{ .repository }}@{{ .digest }}{{ else }}{{ .repository }}:{{ .tag }}{{ end -}}
{{- end }}

{{- define "phi-guard-sidecar.securityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* A probe that asks the guard's loopback admin server (stdlib only: no gRPC import per probe). */}}
{{- define "phi-guard-sidecar.guardProbe" -}}
exec:
  command:
    - python
    - -c
    - "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:{{ .port }}{{ .path }}', timeout=2).status == 200 else 1)"
{{- end }}

{{/* Run-once containers: render Envoy's bootstrap with `phi-guard envoy-config` from the guard's own config. */}}
{{- define "phi-guard-sidecar.initContainers" -}}
{{- $v := include "phi-guard-sidecar.values" . | fromYaml -}}
- name: phi-guard-envoy-config
  image: {{ include "phi-guard-sidecar.image" $v.guardImage | quote }}
  imagePullPolicy: {{ $v.imagePullPolicy }}
  args: ["--config", "/etc/phi-guard/config/config.yaml", "envoy-config", "--out", "/etc/phi-guard/envoy"]
  resources:
    {{- toYaml $v.resources.init | nindent 4 }}
  securityContext:
    {{- include "phi-guard-sidecar.securityContext" . | nindent 4 }}
  volumeMounts:
    - {name: phi-guard-config, mountPath: /etc/phi-guard/config, readOnly: true}
    - {name: phi-guard-envoy, mountPath: /etc/phi-guard/envoy}
{{- end }}

{{/* The long-running sidecars: Envoy, the guard, and OPA when enabled. */}}
{{- define "phi-guard-sidecar.containers" -}}
{{- $v := include "phi-guard-sidecar.values" . | fromYaml -}}
- name: phi-guard-envoy
  image: {{ include "phi-guard-sidecar.image" $v.envoyImage | quote }}
  imagePullPolicy: {{ $v.imagePullPolicy }}
  args: ["-c", "/etc/phi-guard/envoy/bootstrap-{{ $v.envoyBootstrap }}.yaml", "--disable-hot-restart", "--log-level", "warn", "--drain-time-s", "10"]
  ports:
    - {name: phi-guard-http, containerPort: {{ $v.envoyPort }}, protocol: TCP}
  # TCP probes: the kubelet has no client certificate for the mTLS listener.
  startupProbe:
    tcpSocket: {port: {{ $v.envoyPort }}}
    periodSeconds: 1
    failureThreshold: 30
  readinessProbe:
    tcpSocket: {port: {{ $v.envoyPort }}}
    periodSeconds: 5
  livenessProbe:
    tcpSocket: {port: {{ $v.envoyPort }}}
    periodSeconds: 10
    failureThreshold: 3
  resources:
    {{- toYaml $v.resources.envoy | nindent 4 }}
  securityContext:
    {{- include "phi-guard-sidecar.securityContext" . | nindent 4 }}
  volumeMounts:
    - {name: phi-guard-envoy, mountPath: /etc/phi-guard/envoy, readOnly: true}
    - {name: phi-guard-socket, mountPath: /var/run/phi-guard}
    {{- if $v.tlsSecret }}
    - {name: phi-guard-tls, mountPath: /etc/phi-guard/tls, readOnly: true}
    {{- end }}
- name: phi-guard
  image: {{ include "phi-guard-sidecar.image" $v.guardImage | quote }}
  imagePullPolicy: {{ $v.imagePullPolicy }}
  args: ["--config", "/etc/phi-guard/config/config.yaml", "serve"]
  env:
    - name: PHI_GUARD__AUDIT__INSTANCE_ID
      valueFrom:
        fieldRef: {fieldPath: metadata.name}
  startupProbe:
    {{- include "phi-guard-sidecar.guardProbe" (dict "port" $v.guardAdminPort "path" "/readyz") | nindent 4 }}
    periodSeconds: 2
    timeoutSeconds: 3
    failureThreshold: 60
  readinessProbe:
    {{- include "phi-guard-sidecar.guardProbe" (dict "port" $v.guardAdminPort "path" "/readyz") | nindent 4 }}
    periodSeconds: 10
    timeoutSeconds: 3
  livenessProbe:
    {{- include "phi-guard-sidecar.guardProbe" (dict "port" $v.guardAdminPort "path" "/healthz") | nindent 4 }}
    periodSeconds: 20
    timeoutSeconds: 3
    failureThreshold: 3
  resources:
    {{- toYaml $v.resources.guard | nindent 4 }}
  securityContext:
    {{- include "phi-guard-sidecar.securityContext" . | nindent 4 }}
  volumeMounts:
    - {name: phi-guard-config, mountPath: /etc/phi-guard/config, readOnly: true}
    - {name: phi-guard-policy, mountPath: /etc/phi-guard/policy, readOnly: true}
    - {name: phi-guard-socket, mountPath: /var/run/phi-guard}
    - {name: phi-guard-state, mountPath: /var/lib/phi-guard}
    - {name: phi-guard-tmp, mountPath: /tmp}
    {{- if $v.upstreamCredentialSecret.name }}
    - {name: phi-guard-upstream-credential, mountPath: /var/run/secrets/phi-guard/upstream, readOnly: true}
    {{- end }}
    {{- if $v.auditKeySecret }}
    - {name: phi-guard-audit-keys, mountPath: /var/run/secrets/phi-guard/audit-keys, readOnly: true}
    {{- end }}
    {{- if $v.siteVocabularyConfigMap }}
    - {name: phi-guard-site-vocabulary, mountPath: /etc/phi-guard/site-vocabulary, readOnly: true}
    {{- end }}
{{- if $v.opa.enabled }}
- name: phi-guard-opa
  image: {{ include "phi-guard-sidecar.image" $v.opa.image | quote }}
  imagePullPolicy: {{ $v.imagePullPolicy }}
  args:
    - run
    - --server
    - --addr=127.0.0.1:{{ $v.opa.port }}
    - --diagnostic-addr=0.0.0.0:{{ $v.opa.diagnosticPort }}
    {{- if $v.opa.configMap }}
    - --config-file=/etc/opa/config.yaml
    {{- end }}
  ports:
    - {name: opa-diag, containerPort: {{ $v.opa.diagnosticPort }}, protocol: TCP}
  readinessProbe:
    httpGet: {path: /health, port: {{ $v.opa.diagnosticPort }}}
    periodSeconds: 5
  livenessProbe:
    httpGet: {path: /health, port: {{ $v.opa.diagnosticPort }}}
    periodSeconds: 10
  resources:
    {{- toYaml $v.resources.opa | nindent 4 }}
  securityContext:
    {{- include "phi-guard-sidecar.securityContext" . | nindent 4 }}
  {{- if $v.opa.configMap }}
  volumeMounts:
    - {name: phi-guard-opa-config, mountPath: /etc/opa, readOnly: true}
  {{- end }}
{{- end }}
{{- end }}

{{/* The sidecars as native sidecars (Kubernetes >= 1.29): init containers that keep running. */}}
{{- define "phi-guard-sidecar.nativeSidecars" -}}
{{- range (include "phi-guard-sidecar.containers" . | fromYamlArray) }}
- {{- toYaml (merge (dict "restartPolicy" "Always") .) | nindent 2 }}
{{- end }}
{{- end }}

{{- define "phi-guard-sidecar.volumes" -}}
{{- $v := include "phi-guard-sidecar.values" . | fromYaml -}}
- name: phi-guard-config
  configMap:
    name: {{ $v.configMap }}
{{- /* The policy ConfigMap's keys are paths with "/" written "__"; items put each file back in its directory
       (data.json files take their place in `data` from it). Without explicit policyItems they are derived from
       the ConfigMap found in the release namespace at install time. */ -}}
{{- $items := $v.policyItems -}}
{{- if and (not $items) .namespace -}}
{{- $found := lookup "v1" "ConfigMap" .namespace $v.policyConfigMap -}}
{{- range $key, $_ := (($found | default dict).data | default dict) }}
{{- $items = append $items (dict "key" $key "path" (replace "__" "/" $key)) -}}
{{- end -}}
{{- end }}
- name: phi-guard-policy
  configMap:
    name: {{ $v.policyConfigMap }}
    {{- with $items }}
    items:
      {{- toYaml . | nindent 6 }}
    {{- end }}
- name: phi-guard-envoy
  emptyDir:
    medium: Memory
    sizeLimit: 4Mi
- name: phi-guard-socket
  emptyDir:
    medium: Memory
    sizeLimit: 1Mi
- name: phi-guard-state
  emptyDir:
    sizeLimit: {{ $v.stateSizeLimit }}
- name: phi-guard-tmp
  emptyDir:
    medium: Memory
    sizeLimit: 32Mi
{{- if $v.tlsSecret }}
- name: phi-guard-tls
  secret:
    secretName: {{ $v.tlsSecret }}
    defaultMode: 0444
{{- end }}
{{- if $v.upstreamCredentialSecret.name }}
- name: phi-guard-upstream-credential
  secret:
    secretName: {{ $v.upstreamCredentialSecret.name }}
    defaultMode: 0444
    items:
      - {key: {{ $v.upstreamCredentialSecret.key }}, path: credential}
{{- end }}
{{- if $v.auditKeySecret }}
- name: phi-guard-audit-keys
  secret:
    secretName: {{ $v.auditKeySecret }}
    defaultMode: 0444
{{- end }}
{{- if $v.siteVocabularyConfigMap }}
- name: phi-guard-site-vocabulary
  configMap:
    name: {{ $v.siteVocabularyConfigMap }}
{{- end }}
{{- if and $v.opa.enabled $v.opa.configMap }}
- name: phi-guard-opa-config
  configMap:
    name: {{ $v.opa.configMap }}
{{- end }}
{{- end }}
