namespace TrailSieve.Worker.Options;

public enum RulesSource
{
    Local,
    S3,
    Ssm,
}
