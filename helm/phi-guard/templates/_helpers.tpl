{{- define "phi-guard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "phi-guard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "phi-guard.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "phi-guard.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "phi-guard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "phi-guard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Input: (dict "root" $ "component" "webhook") */}}
{{- define "phi-guard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "phi-guard.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "phi-guard.webhookName" -}}{{ include "phi-guard.fullname" . | trunc 55 | trimSuffix "-" }}-webhook{{- end }}
{{- define "phi-guard.gatewayName" -}}{{ include "phi-guard.fullname" . | trunc 55 | trimSuffix "-" }}-gateway{{- end }}
{{- define "phi-guard.policyName" -}}{{ include "phi-guard.fullname" . | trunc 56 | trimSuffix "-" }}-policy{{- end }}
{{- define "phi-guard.sidecarConfigName" -}}{{ include "phi-guard.fullname" . | trunc 55 | trimSuffix "-" }}-sidecar{{- end }}
{{- define "phi-guard.siteVocabularyName" -}}
{{- .Values.siteVocabulary.configMapName | default (printf "%s-site-vocabulary" (include "phi-guard.fullname" . | trunc 46 | trimSuffix "-")) -}}
{{- end }}
{{- define "phi-guard.gatewayConfigName" -}}{{ include "phi-guard.gatewayName" . }}-config{{- end }}

{{- define "phi-guard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "phi-guard.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end }}

{{- define "phi-guard.guardImage" -}}
repository: {{ .Values.image.repository }}
tag: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
digest: {{ .Values.image.digest | quote }}
{{- end }}

{{/* Pod-level security context shared by every pod this chart runs. */}}
{{- define "phi-guard.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The policy files (files/opa -> the repository's opa/ directory) as ConfigMap keys: "/" becomes "__". */}}
{{- define "phi-guard.policyFiles" -}}
{{- range $path, $_ := .Files.Glob "files/opa/**" }}
{{- $rel := trimPrefix "files/opa/" $path }}
{{- if contains "__" $rel }}{{ fail (printf "policy path %s contains \"__\", which encodes \"/\" in ConfigMap keys" $rel) }}{{ end }}
{{- if or (hasSuffix ".rego" $rel) (hasSuffix ".json" $rel) }}
{{ $rel | replace "/" "__" }}: {{ $rel | quote }}
{{- end }}
{{- end }}
{{- end }}

{{- define "phi-guard.policyItems" -}}
{{- range $key, $rel := (include "phi-guard.policyFiles" . | fromYaml) }}
- key: {{ $key }}
  path: {{ $rel }}
{{- end }}
{{- end }}

{{/* The guard's configuration. Input: (dict "root" $ "upstreamUrl" URL "credential" BOOL "mode" "sidecar|gateway") */}}
{{- define "phi-guard.guardConfig" -}}
{{- $r := .root -}}
{{- $v := $r.Values -}}
{{- $base := dict -}}
{{- $_ := set $base "state_dir" "/var/lib/phi-guard" -}}
{{- $_ := set $base "server" (dict "grpc_uds" "/var/run/phi-guard/grpc.sock" "admin_host" "127.0.0.1" "admin_port" 9002) -}}
{{- $policy := dict "engine" $v.policy.engine "directory" "/etc/phi-guard/policy" "opa_url" "http://127.0.0.1:8181" -}}
{{- $_ := set $base "policy" $policy -}}
{{- $audit := dict "spool_dir" "/var/lib/phi-guard/spool" "bucket" $v.audit.bucket "s3_region" $v.audit.region "prefix" $v.audit.prefix "retention_days" (int $v.audit.retentionDays) "key_provider" $v.audit.keyProvider -}}
{{- if $v.audit.s3Endpoint }}{{ $_ := set $audit "s3_endpoint" $v.audit.s3Endpoint }}{{ end -}}
{{- if $v.audit.kmsKeyId }}{{ $_ := set $audit "kms_key_id" $v.audit.kmsKeyId }}{{ end -}}
{{- if $v.audit.keySecret -}}
{{- $_ := set $audit "key_file" "/var/run/secrets/phi-guard/audit-keys/audit-kek.key" -}}
{{- $_ := set $audit "mac_key_file" "/var/run/secrets/phi-guard/audit-keys/audit-mac.key" -}}
{{- end -}}
{{- $_ := set $base "audit" $audit -}}
{{- $upstream := dict "name" "model" "url" .upstreamUrl -}}
{{- if .credential -}}
{{- $_ := set $upstream "credential_file" "/var/run/secrets/phi-guard/upstream/credential" -}}
{{- if eq .mode "gateway" -}}
{{- $_ := set $upstream "credential_header" $v.gateway.upstream.credentialHeader -}}
{{- $_ := set $upstream "credential_format" $v.gateway.upstream.credentialFormat -}}
{{- end -}}
{{- end -}}
{{- $_ := set $base "upstreams" (list $upstream) -}}
{{- /* Envoy's listener (read by `phi-guard envoy-config`). The sidecar bootstrap's defaults (mTLS on 8443, files
       under /etc/phi-guard/tls) need no section; plain HTTP and the gateway do. */ -}}
{{- if eq .mode "gateway" -}}
{{- $envoy := dict "listen_address" "0.0.0.0" -}}
{{- if $v.gateway.tls.secretName -}}
{{- $_ := set $envoy "http_port" 0 -}}
{{- $_ := set $envoy "https_port" (int $v.gateway.port) -}}
{{- $_ := set $envoy "tls" (dict "cert_chain" "/etc/phi-guard/tls/tls.crt" "private_key" "/etc/phi-guard/tls/tls.key") -}}
{{- else -}}
{{- $_ := set $envoy "http_port" (int $v.gateway.port) -}}
{{- end -}}
{{- $_ := set $base "envoy" $envoy -}}
{{- else if not $v.sidecar.tls.enabled -}}
{{- $_ := set $base "envoy" (dict "http_port" (int $v.sidecar.envoyPort) "listen_address" "0.0.0.0") -}}
{{- else if ne (int $v.sidecar.envoyPort) 8443 -}}
{{- $_ := set $base "envoy" (dict "https_port" (int $v.sidecar.envoyPort)) -}}
{{- end -}}
{{- if $v.siteVocabulary.enabled -}}
{{- $_ := set $base "redaction" (dict "site_vocabulary_dir" "/etc/phi-guard/site-vocabulary") -}}
{{- end -}}
{{- $_ := set $base "logging" (dict "level" $v.guard.logLevel "json" true) -}}
{{- toYaml (mergeOverwrite $base (deepCopy $v.guard.config)) -}}
{{- end }}

{{/* Settings for the phi-guard-sidecar library, from this chart's values. */}}
{{- define "phi-guard.sidecarValues" -}}
guardImage:
  {{- include "phi-guard.guardImage" . | nindent 2 }}
envoyImage:
  {{- toYaml .Values.envoy.image | nindent 2 }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
envoyPort: {{ .Values.sidecar.envoyPort }}
modelPort: {{ .Values.sidecar.modelPort }}
envoyBootstrap: {{ ternary "sidecar" "local" .Values.sidecar.tls.enabled }}
tlsSecret: {{ ternary .Values.sidecar.tls.secretName "" .Values.sidecar.tls.enabled | quote }}
configMap: {{ include "phi-guard.sidecarConfigName" . }}
policyConfigMap: {{ include "phi-guard.policyName" . }}
policyItems:
  {{- include "phi-guard.policyItems" . | nindent 2 }}
upstreamCredentialSecret:
  {{- toYaml .Values.sidecar.upstreamCredentialSecret | nindent 2 }}
auditKeySecret: {{ .Values.audit.keySecret | quote }}
siteVocabularyConfigMap: {{ ternary (include "phi-guard.siteVocabularyName" .) "" .Values.siteVocabulary.enabled | quote }}
stateSizeLimit: {{ .Values.sidecar.stateSizeLimit }}
{{- with .Values.sidecar.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
opa:
  enabled: {{ .Values.opa.enabled }}
  configMap: {{ .Values.opa.configMap | quote }}
  image:
    {{- toYaml .Values.opa.image | nindent 4 }}
{{- end }}

{{/* The policy ConfigMap's data. */}}
{{- define "phi-guard.policyData" -}}
{{- range $key, $rel := (include "phi-guard.policyFiles" . | fromYaml) }}
{{ $key }}: {{ $.Files.Get (printf "files/opa/%s" $rel) | quote }}
{{- end }}
{{- end }}

{{/* Cross-field checks the schema cannot express. */}}
{{- define "phi-guard.validate" -}}
{{- if eq (int .Values.sidecar.envoyPort) (int .Values.sidecar.modelPort) -}}
{{- fail "sidecar.envoyPort and sidecar.modelPort must differ (Envoy and the model share the pod's network)" -}}
{{- end -}}
{{- if has (int .Values.sidecar.envoyPort) (list 9002 9901) -}}
{{- fail "sidecar.envoyPort collides with the guard's admin port (9002) or Envoy's admin port (9901)" -}}
{{- end -}}
{{- if has (int .Values.injection.probePort) (list (int .Values.sidecar.envoyPort) (int .Values.sidecar.modelPort) 9002 9901) -}}
{{- fail "injection.probePort must differ from sidecar.envoyPort, sidecar.modelPort, 9002 and 9901" -}}
{{- end -}}
{{- if .Values.siteVocabulary.enabled -}}
{{- if and .Values.siteVocabulary.configMapName .Values.siteVocabulary.files -}}
{{- fail "siteVocabulary: set configMapName (a ConfigMap you manage) or files (rendered by the chart), not both" -}}
{{- end -}}
{{- if not (or .Values.siteVocabulary.configMapName .Values.siteVocabulary.files) -}}
{{- fail "siteVocabulary.enabled needs siteVocabulary.configMapName (a ConfigMap you manage) or siteVocabulary.files" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.gateway.enabled (has (int .Values.gateway.port) (list 9002 9901)) -}}
{{- fail "gateway.port collides with the guard's admin port (9002) or Envoy's admin port (9901)" -}}
{{- end -}}
{{- end }}
