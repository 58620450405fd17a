using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace Simulator.Metrics;

/// <summary>
/// Publishes one <see cref="Meter"/> into a prometheus-net registry under the exact instrument names.
/// prometheus-net 8.2.1's own MeterAdapter was tried first: on .NET 10 it connected the instruments but exported no
/// series at all (and it prefixes the meter name and turns counters into gauges), so FleetSim bridges the meter itself.
/// Counters become Prometheus counters, histograms histograms (buckets from <see cref="MetricNames"/>), observable gauges
/// gauges observed before every scrape. Label children are cached, so a measurement allocates nothing once its label
/// combination has been seen. Supports up to four labels per instrument.
/// </summary>
internal sealed class PrometheusMeterBridge : IDisposable
{
    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly ConcurrentDictionary<Instrument, Bridged> _bridged = new();
    private volatile bool _disposed;

    public PrometheusMeterBridge(Meter meter, CollectorRegistry registry)
    {
        _meter = meter;
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, m, t, _) => OnMeasurement(i, m, t));
        _listener.SetMeasurementEventCallback<double>((i, m, t, _) => OnMeasurement(i, m, t));
        _listener.Start();
        registry.AddBeforeCollectCallback(() =>
        {
            if (!_disposed)
            {
                _listener.RecordObservableInstruments();
            }
        });
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    /// <summary>Publishes the series of <paramref name="instrument"/> with these labels now, at 0 (a histogram with no observations).</summary>
    public void Declare(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Child(instrument, tags);

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Child(instrument, tags)(value);

    private Action<double> Child(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length > LabelKey.MaxLabels)
        {
            throw new InvalidOperationException($"instrument {instrument.Name} has {tags.Length} labels; the bridge supports {LabelKey.MaxLabels}");
        }

        var bridged = _bridged.GetOrAdd(instrument, static (i, state) => state.Self.Create(i, state.Names), (Self: this, Names: LabelNames(tags)));
        var key = LabelKey.From(bridged.LabelNames, tags);
        return bridged.Children.GetOrAdd(key, static (k, b) => b.CreateChild(k), bridged);
    }

    private Bridged Create(Instrument instrument, string[] labelNames)
    {
        var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>))
        {
            var counter = _factory.CreateCounter(instrument.Name, help, labelNames);
            return new Bridged(labelNames, k => { var c = counter.WithLabels(k.Values(labelNames.Length)); return c.Inc; });
        }

        if (type == typeof(Histogram<>))
        {
            var buckets = instrument.Name == MetricNames.SchedulerLag ? MetricNames.SchedulerLagBuckets : MetricNames.LatencyBuckets;
            var histogram = _factory.CreateHistogram(instrument.Name, help, labelNames, new HistogramConfiguration { Buckets = [.. buckets] });
            return new Bridged(labelNames, k => { var h = histogram.WithLabels(k.Values(labelNames.Length)); return h.Observe; });
        }

        if (type == typeof(ObservableGauge<>) || type == typeof(ObservableUpDownCounter<>) || type == typeof(UpDownCounter<>))
        {
            var gauge = _factory.CreateGauge(instrument.Name, help, labelNames);
            var isDelta = type == typeof(UpDownCounter<>);
            return new Bridged(labelNames, k => { var g = gauge.WithLabels(k.Values(labelNames.Length)); return isDelta ? g.Inc : g.Set; });
        }

        throw new NotSupportedException($"instrument {instrument.Name} of type {instrument.GetType().Name} cannot be bridged");
    }

    private static string[] LabelNames(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            names[i] = tags[i].Key;
        }

        return names;
    }

    private sealed class Bridged(string[] labelNames, Func<LabelKey, Action<double>> createChild)
    {
        public string[] LabelNames { get; } = labelNames;
        public ConcurrentDictionary<LabelKey, Action<double>> Children { get; } = new();
        public Action<double> CreateChild(LabelKey key) => createChild(key);
    }

    /// <summary>Up to six label values, in the instrument's label-name order.</summary>
    private readonly record struct LabelKey(string? A, string? B, string? C, string? D, string? E, string? F)
    {
        public const int MaxLabels = 6;

        public static LabelKey From(string[] names, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != names.Length)
            {
                throw new InvalidOperationException($"measurement has labels {string.Join(",", LabelNames(tags))}; expected {string.Join(",", names)}");
            }

            Span<string?> v = [null, null, null, null, null, null];
            for (var i = 0; i < names.Length; i++)
            {
                v[i] = ValueOf(names[i], tags);
            }

            return new LabelKey(v[0], v[1], v[2], v[3], v[4], v[5]);
        }

        public string[] Values(int count) => new[] { A!, B!, C!, D!, E!, F! }[..count];

        private static string ValueOf(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == name)
                {
                    return tag.Value as string ?? tag.Value?.ToString() ?? string.Empty;
                }
            }

            throw new InvalidOperationException($"measurement lacks label '{name}'");
        }
    }
}
