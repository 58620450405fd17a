// The tests start FleetSim, Prometheus and `dotnet publish`; on a 2-core machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
