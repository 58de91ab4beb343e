variable "name" {
  description = "Secrets Manager name of the app's secret, e.g. pathways/staging/app (the chart's secrets.externalSecret.remoteKey)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.name))
    error_message = "name must be a valid Secrets Manager name."
  }
}

variable "database_host" {
  description = "PostgreSQL hostname (postgres module output address)."
  type        = string

  validation {
    condition     = length(var.database_host) > 0
    error_message = "database_host must not be empty."
  }
}

variable "database_port" {
  description = "PostgreSQL port."
  type        = number
  default     = 5432

  validation {
    condition     = var.database_port > 0 && var.database_port < 65536
    error_message = "database_port must be a TCP port."
  }
}

variable "database_name" {
  description = "Application database name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lowercase identifier."
  }
}

variable "database_sslmode" {
  description = "sslmode in DATABASE_URL. no-verify encrypts without checking the RDS certificate; verify-full needs the RDS CA bundle in the image's trust store (NODE_EXTRA_CA_CERTS)."
  type        = string
  default     = "no-verify"

  validation {
    condition     = contains(["no-verify", "require", "verify-full"], var.database_sslmode)
    error_message = "database_sslmode must be no-verify, require or verify-full (never disable)."
  }
}

variable "redis_url" {
  description = "REDIS_URL (redis module output url)."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^rediss?://", var.redis_url))
    error_message = "redis_url must start with redis:// or rediss://."
  }
}

variable "smtp_password" {
  description = "SMTP password (SES SMTP credentials). Pass it as TF_VAR_smtp_password; empty leaves SMTP_PASSWORD out."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = length(var.smtp_password) < 512
    error_message = "smtp_password is too long."
  }
}

variable "recovery_window_days" {
  description = "Days a deleted secret can be restored (0 deletes at once)."
  type        = number

  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "kms_key_arn" {
  description = "KMS key for the secret; null uses the AWS-managed aws/secretsmanager key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256])
    error_message = "Tag keys are at most 128 characters and values at most 256."
  }
}
