using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. --filter '*KeyGeneration*'; '*' runs all of them (about ten minutes on 2 cores).
BenchmarkSwitcher.FromAssembly(typeof(SynoCertPanel.Bench.Fixtures).Assembly).Run(args);
