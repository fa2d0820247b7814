namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>Tests that start many processes run alone: on a 2-core runner, other tests beside them starve the processes.</summary>
[CollectionDefinition(nameof(ProcessHeavyTests), DisableParallelization = true)]
public sealed class ProcessHeavyTests;
