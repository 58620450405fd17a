using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Simulator.Benchmarks.CodecBenchmarks).Assembly).Run(args);
