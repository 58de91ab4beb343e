# OpenSearch domain for SEARCH_ENGINE=opensearch: inside the VPC, HTTPS only, encrypted at rest and
# between nodes. Access is governed by the security group (the app sends unsigned requests to
# OPENSEARCH_URL). Needs the OpenSearch service-linked role once per account (see the README).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  zone_count = var.instance_count >= 3 && var.instance_count % 3 == 0 && length(var.subnet_ids) >= 3 ? 3 : (var.instance_count >= 2 ? 2 : 1)
}

resource "aws_security_group" "this" {
  name        = "${var.name}-opensearch"
  description = "OpenSearch for ${var.name}"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-opensearch" })
}

# Only the cluster's nodes (the network module's node security group, attached to every EKS node
# group) may connect; no CIDR rule, so nothing else in the VPC reaches the data store.
resource "aws_vpc_security_group_ingress_rule" "https" {
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "HTTPS from the cluster's nodes"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
}

data "aws_iam_policy_document" "access" {
  statement {
    effect    = "Allow"
    actions   = ["es:ESHttp*"]
    resources = ["arn:${data.aws_partition.current.partition}:es:*:${data.aws_caller_identity.current.account_id}:domain/${var.name}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_opensearch_domain" "this" {
  domain_name    = var.name
  engine_version = var.engine_version

  cluster_config {
    instance_type          = var.instance_type
    instance_count         = var.instance_count
    zone_awareness_enabled = local.zone_count > 1

    dynamic "zone_awareness_config" {
      for_each = local.zone_count > 1 ? [local.zone_count] : []
      content {
        availability_zone_count = zone_awareness_config.value
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.volume_size_gb
  }

  vpc_options {
    subnet_ids         = slice(var.subnet_ids, 0, local.zone_count)
    security_group_ids = [aws_security_group.this.id]
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }

  access_policies = data.aws_iam_policy_document.access.json

  tags = var.tags
}
