# Mocked AWS provider: OpenSearch inside the VPC, encrypted, HTTPS only, nodes-only ingress.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name                       = "pathways-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  instance_type              = "r7g.large.search"
  instance_count             = 3
  volume_size_gb             = 100
}

run "encrypted_https_in_vpc_nodes_only" {
  command = plan

  assert {
    condition     = aws_opensearch_domain.this.encrypt_at_rest[0].enabled && aws_opensearch_domain.this.node_to_node_encryption[0].enabled
    error_message = "OpenSearch must encrypt at rest and between nodes."
  }
  assert {
    condition     = aws_opensearch_domain.this.domain_endpoint_options[0].enforce_https && startswith(aws_opensearch_domain.this.domain_endpoint_options[0].tls_security_policy, "Policy-Min-TLS-1-2")
    error_message = "OpenSearch must enforce HTTPS with TLS 1.2 or later."
  }
  assert {
    condition     = length(aws_opensearch_domain.this.vpc_options) == 1 && length(aws_opensearch_domain.this.vpc_options[0].subnet_ids) == 3
    error_message = "OpenSearch must live inside the VPC (no public endpoint), spread over three zones."
  }
  assert {
    condition     = aws_opensearch_domain.this.cluster_config[0].zone_awareness_enabled
    error_message = "Three nodes must be zone-aware."
  }

  assert {
    condition = length(aws_vpc_security_group_ingress_rule.https) == 1 && alltrue([for r in aws_vpc_security_group_ingress_rule.https :
    r.referenced_security_group_id == "sg-0123456789abcdef0" && r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.from_port == 443 && r.to_port == 443])
    error_message = "Ingress must come from the node security group on 443 only."
  }
}
