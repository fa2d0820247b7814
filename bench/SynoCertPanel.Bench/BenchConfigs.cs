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
/// RSA key generation: one call takes 0.1–3 s and varies a lot (the prime search is random), so each
/// iteration is one call and the median of many calls is reported.
/// </summary>
public class RsaGenerationConfig : ManualConfig
{
    public RsaGenerationConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(25)
            .WithId("RsaGen"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max, StatisticColumn.Q1, StatisticColumn.Q3);
    }
}
