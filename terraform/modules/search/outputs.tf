output "url" {
  description = "OPENSEARCH_URL for the app."
  value       = "https://${aws_opensearch_domain.this.endpoint}"
}

output "domain_name" {
  description = "Name of the OpenSearch domain."
  value       = aws_opensearch_domain.this.domain_name
}

output "domain_arn" {
  description = "ARN of the OpenSearch domain."
  value       = aws_opensearch_domain.this.arn
}

output "security_group_id" {
  description = "Security group of the domain."
  value       = aws_security_group.this.id
}
