using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Constructs;
using TrailSieve.Deploy.Infrastructure;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy;

/// <summary>
/// TrailSieve on ECS: the notification queue, the output bucket, the service with queue-depth scaling, the backfill
/// and monthly report tasks, alarms, the dashboard, and the Glue/Athena analytics over the output.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A CDK Stack; the suffix is the convention there, not a collection.")]
public sealed class TrailSieveStack : Stack
{
    public TrailSieveStack(Construct scope, DeploySettings settings, IStackProps? props = null)
        : base(scope, settings?.StackName, props)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        TemplateOptions.Description = "TrailSieve: CloudTrail log filter on ECS Fargate (deploy/ecs)";

        var image = WorkerImage.Create(this, settings);
        var queue = new NotificationQueue(this, "Notifications", settings);
        var output = new OutputStore(this, "Output", settings);
        var service = new WorkerService(this, "Worker", settings, queue, output, image);
        _ = new QueueDepthScaling(this, "Scaling", settings, queue, service);
        _ = new BackfillTask(this, "Backfill", settings, queue, output, service, image);
        _ = new Monitoring(this, "Monitoring", settings, queue, service.LogGroup);
        _ = new Dashboard(this, "Dashboard", settings, queue, service);
        _ = new Analytics(this, "Analytics", settings, output);
        if (settings.MonthlyReport)
        {
            _ = new MonthlyReport(this, "MonthlyReport", settings, output, service, image);
        }

        _ = new CfnOutput(this, "QueueUrl", new CfnOutputProps { Value = queue.Queue.QueueUrl });
        _ = new CfnOutput(this, "OutputBucketName", new CfnOutputProps { Value = output.Bucket.BucketName });
        _ = new CfnOutput(this, "ClusterName", new CfnOutputProps { Value = service.Cluster.ClusterName });
        _ = new CfnOutput(this, "PublicSubnetIds", new CfnOutputProps { Value = Fn.Join(",", [.. service.Vpc.PublicSubnets.Select(s => s.SubnetId)]) });
        _ = new CfnOutput(this, "SecurityGroupId", new CfnOutputProps { Value = service.Service.Connections.SecurityGroups[0].SecurityGroupId });
    }

    public DeploySettings Settings { get; }

    /// <summary>Reads the settings from the app's context and adds the stack; a bad context value throws <see cref="InvalidContextException"/>.</summary>
    public static TrailSieveStack FromContext(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = DeploySettings.FromContext(key => app.Node.TryGetContext(key));
        var props = settings.Bootstrapless ? new StackProps { Synthesizer = new BootstraplessSynthesizer(new BootstraplessSynthesizerProps()) } : null;
        return new TrailSieveStack(app, settings, props);
    }
}
