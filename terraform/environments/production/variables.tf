variable "smtp_password" {
  description = "SMTP password stored in the app secret (export TF_VAR_smtp_password); empty leaves it out."
  type        = string
  default     = ""
  sensitive   = true
}
