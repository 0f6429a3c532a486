#!/bin/bash
# LocalStack READY hook (mounted into /etc/localstack/init/ready.d by docker-compose.localstack.yml):
# the AWS side of TrailSieve, as in production but local.
#   trailsieve-source  bucket; ObjectCreated for *.json.gz -> trailsieve-queue
#   trailsieve-queue   the worker's queue; after 3 receives a message moves to trailsieve-dlq
#   trailsieve-output  bucket the worker writes to
# awslocal is the AWS CLI pointed at this LocalStack; account 000000000000.
set -euo pipefail

region="${AWS_DEFAULT_REGION:-us-east-1}"
account="000000000000"
source_bucket="trailsieve-source"
output_bucket="trailsieve-output"
queue="trailsieve-queue"
dlq="trailsieve-dlq"
queue_arn="arn:aws:sqs:${region}:${account}:${queue}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "trailsieve init: buckets"
awslocal s3api create-bucket --bucket "$source_bucket" >/dev/null
awslocal s3api create-bucket --bucket "$output_bucket" >/dev/null

echo "trailsieve init: queues"
dlq_url="$(awslocal sqs create-queue --queue-name "$dlq" --query QueueUrl --output text)"
dlq_arn="$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" --attribute-names QueueArn --query Attributes.QueueArn --output text)"

# Attribute values are strings; RedrivePolicy and Policy are JSON documents inside them, hence the escaping.
cat >"$work/queue-attributes.json" <<JSON
{
  "VisibilityTimeout": "300",
  "ReceiveMessageWaitTimeSeconds": "20",
  "RedrivePolicy": "{\"deadLetterTargetArn\":\"${dlq_arn}\",\"maxReceiveCount\":\"3\"}",
  "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AllowS3ToSend\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"${queue_arn}\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::${source_bucket}\"}}}]}"
}
JSON
awslocal sqs create-queue --queue-name "$queue" --attributes "file://$work/queue-attributes.json" >/dev/null

echo "trailsieve init: S3 -> SQS notification"
cat >"$work/notification.json" <<JSON
{
  "QueueConfigurations": [
    {
      "Id": "trailsieve-cloudtrail",
      "QueueArn": "${queue_arn}",
      "Events": ["s3:ObjectCreated:*"],
      "Filter": { "Key": { "FilterRules": [{ "Name": "suffix", "Value": ".json.gz" }] } }
    }
  ]
}
JSON
awslocal s3api put-bucket-notification-configuration --bucket "$source_bucket" \
  --notification-configuration "file://$work/notification.json"

echo "trailsieve init: done (queue ${queue_arn}, DLQ ${dlq_arn})"
