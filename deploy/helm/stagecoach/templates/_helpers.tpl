{{- define "stagecoach.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stagecoach.fullname" -}}
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

{{- define "stagecoach.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "stagecoach.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "stagecoach.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stagecoach.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "stagecoach.secretName" -}}
{{- default (include "stagecoach.fullname" .) .Values.github.existingSecret }}
{{- end }}

{{- define "stagecoach.redisName" -}}
{{- printf "%s-redis" (include "stagecoach.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Refuses values that would give a Deployment that cannot work, saying which value to set.
*/}}
{{- define "stagecoach.validate" -}}
{{- $redis := or .Values.redis.url .Values.redis.existingSecret .Values.redis.enabled }}
{{- if and (gt (int .Values.replicaCount) 1) (not $redis) }}
{{- fail (printf "replicaCount is %d: more than one replica needs a shared Redis (REDIS_URL). Set redis.url=redis://HOST:6379 (or redis.existingSecret, or redis.enabled=true for a small bundled one), or replicaCount=1 for the embedded in-memory queue" (int .Values.replicaCount)) }}
{{- end }}
{{- if gt (len (compact (list .Values.redis.url .Values.redis.existingSecret (ternary "bundled" "" .Values.redis.enabled)))) 1 }}
{{- fail "set one of redis.url, redis.existingSecret and redis.enabled, not several" }}
{{- end }}
{{- if and (not .Values.github.existingSecret) (not (and .Values.github.appId .Values.github.privateKey .Values.github.webhookSecret)) }}
{{- fail "github.appId, github.privateKey and github.webhookSecret are required (the GitHub App's ID, PEM private key and webhook secret), or github.existingSecret naming a Secret with the keys APP_ID, PRIVATE_KEY and WEBHOOK_SECRET" }}
{{- end }}
{{- end }}
