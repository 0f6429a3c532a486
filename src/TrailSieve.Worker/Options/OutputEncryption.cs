namespace TrailSieve.Worker.Options;

public enum OutputEncryption
{
    None,

    /// <summary>SSE-S3 (AES256).</summary>
    S3,

    /// <summary>SSE-KMS, with <see cref="OutputOptions.KmsKeyId"/> when set.</summary>
    Kms,
}
