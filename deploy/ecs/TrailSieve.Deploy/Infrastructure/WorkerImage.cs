using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.Ecr.Assets;
using Amazon.CDK.AWS.ECS;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>The worker image: a tag of an existing ECR repository, or built from the repository's Dockerfile as a CDK asset.</summary>
internal static class WorkerImage
{
    public static ContainerImage Create(Construct scope, DeploySettings settings)
    {
        if (settings.ImageAssetDirectory is { } directory)
        {
            return ContainerImage.FromAsset(directory, new AssetImageProps { Platform = Platform_.LINUX_ARM64 });
        }

        // ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/NAME, validated by DeploySettings.
        var uri = settings.ImageRepositoryUri!;
        var slash = uri.IndexOf('/', StringComparison.Ordinal);
        var host = uri[..slash].Split('.');
        var name = uri[(slash + 1)..];
        var partition = uri[..slash].EndsWith(".cn", StringComparison.Ordinal) ? "aws-cn" : "aws";
        var repository = Repository.FromRepositoryAttributes(scope, "ImageRepository", new RepositoryAttributes
        {
            RepositoryArn = $"arn:{partition}:ecr:{host[3]}:{host[0]}:repository/{name}",
            RepositoryName = name,
        });
        return ContainerImage.FromEcrRepository(repository, settings.ImageTag);
    }
}
