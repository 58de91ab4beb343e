output "secret_name" {
  description = "Name of the app secret (the chart's secrets.externalSecret.remoteKey)."
  value       = aws_secretsmanager_secret.app.name
}

output "secret_arn" {
  description = "ARN of the app secret."
  value       = aws_secretsmanager_secret.app.arn
}

output "read_policy_arn" {
  description = "IAM policy to attach to the External Secrets Operator's role."
  value       = aws_iam_policy.read.arn
}
