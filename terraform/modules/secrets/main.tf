# One Secrets Manager entry, a JSON object whose keys are the app's secret environment variables.
# The Helm chart's ExternalSecret copies it into the namespace (secrets.externalSecret.remoteKey).
# APP_KEY and the two database role passwords are generated here; the roles themselves are
# created with SQL once (README, deployment step 5). The values also live in the Terraform state:
# keep the state bucket private and encrypted (it is, see environments/*/versions.tf).
#
# Secrets Manager generates the values (no `random` provider). The data source answers anew at
# every plan, so each value is kept in a terraform_data whose input changes are ignored: generated
# once, stable afterwards, rotated with `tofu apply -replace=module.secrets.terraform_data.<name>`.

data "aws_secretsmanager_random_password" "generated" {
  for_each = toset(["app_key", "db_app", "db_owner"])

  password_length     = each.key == "app_key" ? 48 : 40
  exclude_punctuation = true
}

resource "terraform_data" "app_key" {
  input = data.aws_secretsmanager_random_password.generated["app_key"].random_password

  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "db_app" {
  input = data.aws_secretsmanager_random_password.generated["db_app"].random_password

  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "db_owner" {
  input = data.aws_secretsmanager_random_password.generated["db_owner"].random_password

  lifecycle {
    ignore_changes = [input]
  }
}

locals {
  db_host_port = "${var.database_host}:${var.database_port}/${var.database_name}?sslmode=${var.database_sslmode}"
  values = merge(
    {
      APP_KEY            = terraform_data.app_key.output
      DATABASE_URL       = "postgres://pathways_app:${terraform_data.db_app.output}@${local.db_host_port}"
      DATABASE_OWNER_URL = "postgres://pathways_owner:${terraform_data.db_owner.output}@${local.db_host_port}"
      REDIS_URL          = var.redis_url
    },
    var.smtp_password == "" ? {} : { SMTP_PASSWORD = var.smtp_password },
  )
}

resource "aws_secretsmanager_secret" "app" {
  name                    = var.name
  description             = "Pathways secret environment (APP_KEY, DATABASE_URL, DATABASE_OWNER_URL, REDIS_URL, SMTP_PASSWORD)"
  recovery_window_in_days = var.recovery_window_days
  kms_key_id              = var.kms_key_arn

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id     = aws_secretsmanager_secret.app.id
  secret_string = jsonencode(local.values)
}

# For the External Secrets Operator's IRSA role: read this secret only.
data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.app.arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_policy" "read" {
  name        = "${replace(var.name, "/", "-")}-read"
  description = "Read the Pathways app secret ${var.name}"
  policy      = data.aws_iam_policy_document.read.json

  tags = var.tags
}
