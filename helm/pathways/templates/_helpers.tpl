{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "pathways.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name (release-based unless overridden). */}}
{{- define "pathways.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "pathways.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels. Call with (dict "ctx" $ "component" "api"). */}}
{{- define "pathways.labels" -}}
helm.sh/chart: {{ include "pathways.chart" .ctx }}
{{ include "pathways.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: pathways
{{- end }}

{{- define "pathways.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pathways.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{- define "pathways.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pathways.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "pathways.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{/* Name of the Secret holding the secret environment: made by the chart (externalSecret, create)
     or managed by the operator (existingSecret). */}}
{{- define "pathways.secretName" -}}
{{- if or .Values.secrets.externalSecret.enabled .Values.secrets.create }}
{{- printf "%s-env" (include "pathways.fullname" .) }}
{{- else }}
{{- required "secrets.existingSecret is required unless secrets.externalSecret.enabled or secrets.create" .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{/* Fails the render when values contradict each other in ways JSON schema cannot express. */}}
{{- define "pathways.validate" -}}
{{- if and .Values.secrets.externalSecret.enabled .Values.secrets.create }}
{{- fail "secrets: secrets.externalSecret.enabled and secrets.create are mutually exclusive" }}
{{- end }}
{{- $as := .Values.api.autoscaling }}
{{- if and $as.enabled (gt (int $as.minReplicas) (int $as.maxReplicas)) }}
{{- fail "api.autoscaling.minReplicas must not exceed api.autoscaling.maxReplicas" }}
{{- end }}
{{- if and .Values.api.podDisruptionBudget.enabled (not $as.enabled) (ge (int .Values.api.podDisruptionBudget.minAvailable) (int .Values.api.replicaCount)) }}
{{- fail "api.podDisruptionBudget.minAvailable must be below api.replicaCount, or no node could ever be drained" }}
{{- end }}
{{- if and .Values.api.podDisruptionBudget.enabled $as.enabled (ge (int .Values.api.podDisruptionBudget.minAvailable) (int $as.minReplicas)) }}
{{- fail "api.podDisruptionBudget.minAvailable must be below api.autoscaling.minReplicas, or no node could ever be drained" }}
{{- end }}
{{- $w := .Values.worker }}
{{- if lt (int $w.terminationGracePeriodSeconds) (add (int $w.shutdownGraceSeconds) 90) }}
{{- fail (printf "worker.terminationGracePeriodSeconds (%d) must be at least worker.shutdownGraceSeconds + 60 s forced shutdown + 30 s margin (%d), or Kubernetes kills draining workers" (int $w.terminationGracePeriodSeconds) (add (int $w.shutdownGraceSeconds) 90)) }}
{{- end }}
{{- if and $w.autoscaling.enabled (gt (int $w.autoscaling.minReplicas) (int $w.autoscaling.maxReplicas)) }}
{{- fail "worker.autoscaling.minReplicas must not exceed worker.autoscaling.maxReplicas" }}
{{- end }}
{{- if eq (int $w.metrics.port) (int $w.healthPort) }}
{{- fail "worker.metrics.port and worker.healthPort must differ" }}
{{- end }}
{{- if eq .Values.config.temporal.taskQueue .Values.config.temporal.ingestionTaskQueue }}
{{- fail "config.temporal.ingestionTaskQueue must differ from config.temporal.taskQueue" }}
{{- end }}
{{- if and .Values.config.temporal.tls.enabled (not .Values.config.temporal.tls.secretName) }}
{{- fail "config.temporal.tls.secretName is required when config.temporal.tls.enabled" }}
{{- end }}
{{- end }}

{{/* Non-secret environment as a flat map (ConfigMap data; inlined into the migration hook). */}}
{{- define "pathways.configData" -}}
{{- $c := .Values.config -}}
NODE_ENV: {{ $c.nodeEnv | quote }}
HOST: "0.0.0.0"
PORT: {{ .Values.api.port | toString | quote }}
LOG_LEVEL: {{ $c.logLevel | quote }}
APP_URL: {{ $c.appUrl | quote }}
{{- with $c.corsOrigins }}
CORS_ORIGINS: {{ . | quote }}
{{- end }}
DATABASE_POOL_MAX: {{ $c.databasePoolMax | toString | quote }}
TEMPORAL_ADDRESS: {{ $c.temporal.address | quote }}
TEMPORAL_NAMESPACE: {{ $c.temporal.namespace | quote }}
TEMPORAL_TASK_QUEUE: {{ $c.temporal.taskQueue | quote }}
TEMPORAL_INGESTION_TASK_QUEUE: {{ $c.temporal.ingestionTaskQueue | quote }}
{{- with $c.temporal.uiUrl }}
TEMPORAL_UI_URL: {{ . | quote }}
{{- end }}
{{- if $c.temporal.tls.enabled }}
TEMPORAL_TLS_CERT_PATH: "/etc/pathways/temporal-tls/tls.crt"
TEMPORAL_TLS_KEY_PATH: "/etc/pathways/temporal-tls/tls.key"
{{- if $c.temporal.tls.includeCa }}
TEMPORAL_TLS_CA_PATH: "/etc/pathways/temporal-tls/ca.crt"
{{- end }}
{{- with $c.temporal.tls.serverName }}
TEMPORAL_TLS_SERVER_NAME: {{ . | quote }}
{{- end }}
{{- end }}
{{- with $c.s3.endpoint }}
S3_ENDPOINT: {{ . | quote }}
{{- end }}
S3_REGION: {{ $c.s3.region | quote }}
S3_FORCE_PATH_STYLE: {{ $c.s3.forcePathStyle | toString | quote }}
S3_BUCKET_RESUMES: {{ $c.s3.bucketResumes | quote }}
S3_BUCKET_REPORTS: {{ $c.s3.bucketReports | quote }}
SMTP_HOST: {{ $c.smtp.host | quote }}
SMTP_PORT: {{ $c.smtp.port | toString | quote }}
{{- with $c.smtp.username }}
SMTP_USERNAME: {{ . | quote }}
{{- end }}
{{- with $c.smtp.fromAddress }}
MAIL_FROM_ADDRESS: {{ . | quote }}
{{- end }}
SEARCH_ENGINE: {{ $c.search.engine | quote }}
{{- with $c.search.opensearchUrl }}
OPENSEARCH_URL: {{ . | quote }}
{{- end }}
{{- with $c.search.elasticsearchUrl }}
ELASTICSEARCH_URL: {{ . | quote }}
{{- end }}
TMPDIR: "/tmp"
HOME: "/tmp"
{{- range $k, $v := $c.extraEnv }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end }}

{{/* Secret environment. Call with (dict "ctx" $ "owner" true|false). DATABASE_OWNER_URL only
     reaches the migration hook. */}}
{{- define "pathways.secretEnv" -}}
{{- $secret := include "pathways.secretName" .ctx }}
{{- $required := list "APP_KEY" "DATABASE_URL" "REDIS_URL" }}
{{- if .owner }}{{ $required = append $required "DATABASE_OWNER_URL" }}{{ end }}
{{- range $required }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ . }}
{{- end }}
{{- range list "SMTP_PASSWORD" "S3_ACCESS_KEY_ID" "S3_SECRET_ACCESS_KEY" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ . }}
      optional: true
{{- end }}
{{- end }}

{{/* Checksum of everything the pods read at start, so a config change rolls them. */}}
{{- define "pathways.configChecksum" -}}
{{- $src := dict "config" (include "pathways.configData" .) "secrets" .Values.secrets -}}
{{- toJson $src | sha256sum }}
{{- end }}

{{/* Writable scratch + optional Temporal mTLS certificates. */}}
{{- define "pathways.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if .Values.config.temporal.tls.enabled }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.config.temporal.tls.secretName }}
    defaultMode: 0440
{{- end }}
{{- end }}

{{- define "pathways.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.config.temporal.tls.enabled }}
- name: temporal-tls
  mountPath: /etc/pathways/temporal-tls
  readOnly: true
{{- end }}
{{- end }}

{{/* DNS plus the operator's egress rules. */}}
{{- define "pathways.egressRules" -}}
- ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- with .Values.networkPolicy.egress }}
{{ toYaml . }}
{{- end }}
{{- end }}
