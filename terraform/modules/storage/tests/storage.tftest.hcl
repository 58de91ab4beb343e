# Mocked AWS provider: both buckets private, encrypted, versioned, TLS-only.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::pathways-test-bucket" }
  }
}

variables {
  name_prefix                       = "pathways-test"
  noncurrent_version_retention_days = 30
  report_retention_days             = 90
}

run "private_encrypted_tls_only" {
  command = apply

  assert {
    condition     = toset(keys(aws_s3_bucket.this)) == toset(["resumes", "reports"])
    error_message = "The resumes and reports buckets must exist."
  }
  assert {
    condition = alltrue([for b in aws_s3_bucket_public_access_block.this :
    b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets])
    error_message = "Every bucket must block all public access."
  }
  assert {
    condition     = alltrue([for o in aws_s3_bucket_ownership_controls.this : o.rule[0].object_ownership == "BucketOwnerEnforced"])
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }
  assert {
    condition = alltrue([for e in aws_s3_bucket_server_side_encryption_configuration.this :
    contains(["AES256", "aws:kms"], one(e.rule).apply_server_side_encryption_by_default[0].sse_algorithm)])
    error_message = "Every bucket must be encrypted at rest."
  }
  assert {
    condition     = alltrue([for v in aws_s3_bucket_versioning.this : v.versioning_configuration[0].status == "Enabled"])
    error_message = "Every bucket must be versioned."
  }
  assert {
    condition     = length(aws_s3_bucket_policy.this) == 2
    error_message = "Every bucket must carry the TLS-only policy."
  }
  assert {
    condition = alltrue([for d in data.aws_iam_policy_document.tls_only : anytrue([for s in d.statement :
      s.effect == "Deny" && contains(s.actions, "s3:*") && anytrue([for c in s.condition :
    c.test == "Bool" && c.variable == "aws:SecureTransport" && toset(c.values) == toset(["false"])])])])
    error_message = "Every bucket policy must deny any request made without TLS."
  }
}
