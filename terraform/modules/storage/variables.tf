variable "name_prefix" {
  description = "Bucket name prefix; buckets are <prefix>-resumes and <prefix>-reports (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{2,52}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 4-54 characters of lowercase letters, digits and hyphens."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten or deleted object version is kept before it expires (undo window)."
  type        = number

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && var.noncurrent_version_retention_days <= 3650
    error_message = "noncurrent_version_retention_days must be between 1 and 3650."
  }
}

variable "report_retention_days" {
  description = "Days after which generated reports expire (they can be regenerated)."
  type        = number

  validation {
    condition     = var.report_retention_days >= 1 && var.report_retention_days <= 3650
    error_message = "report_retention_days must be between 1 and 3650."
  }
}

variable "resume_infrequent_access_days" {
  description = "Days after which resumes move to STANDARD_IA storage."
  type        = number
  default     = 90

  validation {
    condition     = var.resume_infrequent_access_days >= 30 && var.resume_infrequent_access_days <= 3650
    error_message = "resume_infrequent_access_days must be between 30 (the STANDARD_IA minimum) and 3650."
  }
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS; null uses SSE-S3 (AES256). Encryption is always on."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "force_destroy" {
  description = "Allow `tofu destroy` to delete non-empty buckets. Keep false outside throwaway environments."
  type        = bool
  default     = false
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
