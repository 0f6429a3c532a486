using BenchmarkDotNet.Running;

namespace TrailSieve.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--detection-costs", .. var costArgs])
        {
            return DetectionCosts.Run(costArgs);
        }

        if (args is ["--evaluate-loop", .. var rest])
        {
            return EvaluateLoop.Run(rest);
        }

        if (args is ["--scan-loop", .. var scan])
        {
            return ScanLoop.Run(scan);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
