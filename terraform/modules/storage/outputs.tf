output "resumes_bucket" {
  description = "S3_BUCKET_RESUMES for the app."
  value       = aws_s3_bucket.this["resumes"].bucket
}

output "reports_bucket" {
  description = "S3_BUCKET_REPORTS for the app."
  value       = aws_s3_bucket.this["reports"].bucket
}

output "bucket_arns" {
  description = "ARNs of the buckets, by purpose."
  value       = { for k, b in aws_s3_bucket.this : k => b.arn }
}

output "app_policy_arn" {
  description = "IAM policy to attach to the app's IRSA role."
  value       = aws_iam_policy.app.arn
}

output "posture" {
  description = "Security settings of every bucket as planned (asserted by the environments' tofu tests)."
  value = {
    for k, b in aws_s3_bucket.this : k => {
      public_access_blocked = alltrue([for f in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] : aws_s3_bucket_public_access_block.this[k][f]])
      acls_disabled         = aws_s3_bucket_ownership_controls.this[k].rule[0].object_ownership == "BucketOwnerEnforced"
      sse_algorithm         = one(aws_s3_bucket_server_side_encryption_configuration.this[k].rule).apply_server_side_encryption_by_default[0].sse_algorithm
      versioning            = aws_s3_bucket_versioning.this[k].versioning_configuration[0].status
      tls_only = anytrue([for s in data.aws_iam_policy_document.tls_only[k].statement :
        s.effect == "Deny" && contains(s.actions, "s3:*") && anytrue([for c in s.condition :
      c.test == "Bool" && c.variable == "aws:SecureTransport" && toset(c.values) == toset(["false"])])])
    }
  }
}
