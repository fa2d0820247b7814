using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace SynoCertPanel.Bench;

/// <summary>
/// Operations of well under a second. Fixed counts instead of BenchmarkDotNet's open-ended defaults keep the
/// whole run near ten minutes on 2 cores; the median is the figure compared with the targets.
/// </summary>
public class FastOperationConfig : ManualConfig
{
    public FastOperationConfig()
    {
        AddJob(Job.Default
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithId("Fast"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max, StatisticColumn.OperationsPerSecond);
    }
}

/// <summary>
/// RSA key generation: one call takes 0.1 s to several seconds and varies a lot (the prime search is
/// random), so each iteration is one call and the median of many calls is reported. RSA-4096 gets fewer
/// calls (<see cref="Rsa4096GenerationConfig"/>) to keep the run near ten minutes.
/// </summary>
public class RsaGenerationConfig : ManualConfig
{
    public RsaGenerationConfig()
        : this(warmupCount: 1, iterationCount: 25)
    {
    }

    protected RsaGenerationConfig(int warmupCount, int iterationCount)
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(warmupCount)
            .WithIterationCount(iterationCount)
            .WithId("RsaGen"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max, StatisticColumn.Q1, StatisticColumn.Q3);
    }
}

public class Rsa4096GenerationConfig : RsaGenerationConfig
{
    public Rsa4096GenerationConfig()
        : base(warmupCount: 1, iterationCount: 15)
    {
    }
}
