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

output "posture" {
  description = "Security and resilience settings as planned (asserted by the environments' tofu tests)."
  value = {
    encrypt_at_rest         = aws_opensearch_domain.this.encrypt_at_rest[0].enabled
    node_to_node_encryption = aws_opensearch_domain.this.node_to_node_encryption[0].enabled
    enforce_https           = aws_opensearch_domain.this.domain_endpoint_options[0].enforce_https
    tls_security_policy     = aws_opensearch_domain.this.domain_endpoint_options[0].tls_security_policy
    in_vpc                  = length(aws_opensearch_domain.this.vpc_options) == 1
    zone_count              = local.zone_count
    ingress_cidrs           = [for r in aws_vpc_security_group_ingress_rule.https : r.cidr_ipv4 if r.cidr_ipv4 != null]
    ingress_ports           = distinct([for r in aws_vpc_security_group_ingress_rule.https : r.from_port])
    ingress_security_groups = [for r in aws_vpc_security_group_ingress_rule.https : r.referenced_security_group_id]
  }
}
