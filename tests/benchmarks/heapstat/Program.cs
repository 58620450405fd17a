// heapstat PID [TOP] [--no-gc] — for the idle-memory benchmark:
//  1. forces a full blocking GC in process PID through an EventPipe session with the GCHeapCollect keyword (as dotnet-gcdump does);
//  2. attaches with ClrMD (process suspended while it walks the heap) and prints the heap by type: count, bytes, after that GC.
// Objects allocated between the GC and the walk are included; at an idle fleet that is little.
// With --no-gc step 1 is skipped: the walk then counts garbage not yet collected too (compare the two to see the garbage).
// Also prints, per kind of GC region/segment (gen0, gen1, gen2, large, pinned, ...), the committed bytes and object bytes.
// With --young (implies --no-gc; for a busy fleet, the gen0 survivor question): by type, the objects now in gen1 (those that
// survived a gen0 GC since the last gen1) and, per (older object's type -> gen0 object's type), the references from gen1/gen2
// objects to gen0 objects: what the card table makes the next gen0 GC mark through.
// With --held-by NAME[,NAME...] (after the GC, or with --no-gc): for the objects whose type name contains one of the NAMEs, the
// types of the objects that reference them, with the referenced objects' count and bytes: who holds them.
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

var pid = int.Parse(args[0]);
var top = args.Length > 1 && int.TryParse(args[1], out var t) ? t : 30;
var young = args.Contains("--young");
var forceGc = !args.Contains("--no-gc") && !young;
var heldByAt = Array.IndexOf(args, "--held-by");
var heldBy = heldByAt >= 0 && heldByAt + 1 < args.Length ? args[heldByAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];

if (forceGc)
{
var client = new DiagnosticsClient(pid);
const long GcKeyword = 0x1, GcHeapCollectKeyword = 0x800000;
using (var session = client.StartEventPipeSession(
    [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword)],
    requestRundown: false))
{
    var drain = Task.Run(() => session.EventStream.CopyTo(Stream.Null));
    await Task.Delay(3000);   // the induced GC runs when the session is enabled; give it time to finish
    session.Stop();
    await Task.WhenAny(drain, Task.Delay(5000));
}
}

using var target = DataTarget.AttachToProcess(pid, suspend: true);
var runtime = target.ClrVersions[0].CreateRuntime();
var heap = runtime.Heap;
var byType = new Dictionary<string, (long Count, long Bytes)>();
var byKind = new Dictionary<string, (long Committed, long Objects)>();
foreach (var segment in heap.Segments)
{
    var kind = segment.Kind.ToString();
    long live = 0;
    foreach (var o in segment.EnumerateObjects())
    {
        if (o.IsValid && !o.IsFree)
        {
            live += (long)o.Size;
        }
    }
    byKind[kind] = byKind.TryGetValue(kind, out var k) ? (k.Committed + (long)segment.CommittedMemory.Length, k.Objects + live) : ((long)segment.CommittedMemory.Length, live);
}
long objects = 0, bytes = 0;
foreach (var obj in heap.EnumerateObjects())
{
    if (!obj.IsValid || obj.IsFree)
    {
        continue;
    }
    var name = obj.Type?.Name ?? "?";
    var size = (long)obj.Size;
    byType[name] = byType.TryGetValue(name, out var c) ? (c.Count + 1, c.Bytes + size) : (1, size);
    objects++;
    bytes += size;
}
if (young)
{
    var gen1 = new Dictionary<string, (long Count, long Bytes)>();
    var cards = new Dictionary<string, (long Count, long Bytes)>();
    Generation GenOf(ulong address) => heap.GetSegmentByAddress(address)?.GetGeneration(address) ?? Generation.Unknown;
    foreach (var obj in heap.EnumerateObjects())
    {
        if (!obj.IsValid || obj.IsFree)
        {
            continue;
        }
        var gen = GenOf(obj.Address);
        var name = obj.Type?.Name ?? "?";
        if (gen == Generation.Generation1)
        {
            gen1[name] = gen1.TryGetValue(name, out var g) ? (g.Count + 1, g.Bytes + (long)obj.Size) : (1, (long)obj.Size);
        }
        if (gen is Generation.Generation0 or Generation.Frozen or Generation.Unknown || obj.Type is null || !obj.Type.ContainsPointers)
        {
            continue;
        }
        foreach (var referenced in obj.EnumerateReferences(carefully: false, considerDependantHandles: false))
        {
            if (referenced.IsValid && GenOf(referenced.Address) == Generation.Generation0)
            {
                var key = $"{name} ({gen}) -> {referenced.Type?.Name ?? "?"}";
                cards[key] = cards.TryGetValue(key, out var c) ? (c.Count + 1, c.Bytes + (long)referenced.Size) : (1, (long)referenced.Size);
            }
        }
    }
    Console.WriteLine($"gen1 objects: {gen1.Values.Sum(v => v.Count)}, {gen1.Values.Sum(v => v.Bytes)} bytes");
    Console.WriteLine($"{"count",10} {"bytes",12}  type (in gen1)");
    foreach (var (name, (count, size)) in gen1.OrderByDescending(kv => kv.Value.Bytes).Take(top))
    {
        Console.WriteLine($"{count,10} {size,12}  {name}");
    }
    Console.WriteLine($"older -> gen0 references: {cards.Values.Sum(v => v.Count)}");
    Console.WriteLine($"{"count",10} {"bytes",12}  older type (generation) -> gen0 type (bytes: the gen0 objects' own size)");
    foreach (var (name, (count, size)) in cards.OrderByDescending(kv => kv.Value.Count).Take(top))
    {
        Console.WriteLine($"{count,10} {size,12}  {name}");
    }
}

if (heldBy.Length > 0)
{
    var holders = new Dictionary<string, (long Count, long Bytes)>();
    foreach (var obj in heap.EnumerateObjects())
    {
        if (!obj.IsValid || obj.IsFree || obj.Type is null || !obj.Type.ContainsPointers)
        {
            continue;
        }
        foreach (var referenced in obj.EnumerateReferences(carefully: false, considerDependantHandles: false))
        {
            var name = referenced.Type?.Name;
            if (name is not null && heldBy.Any(h => name.Contains(h, StringComparison.Ordinal)))
            {
                var key = $"{obj.Type.Name} -> {name}";
                holders[key] = holders.TryGetValue(key, out var c) ? (c.Count + 1, c.Bytes + (long)referenced.Size) : (1, (long)referenced.Size);
            }
        }
    }
    Console.WriteLine($"held by ({string.Join(", ", heldBy)}):");
    Console.WriteLine($"{"count",10} {"bytes",12}  holder type -> held type (bytes: the held objects' own size)");
    foreach (var (name, (count, size)) in holders.OrderByDescending(kv => kv.Value.Bytes).Take(top))
    {
        Console.WriteLine($"{count,10} {size,12}  {name}");
    }
}

long committed = heap.Segments.Sum(s => (long)s.CommittedMemory.Length);
Console.WriteLine($"heap_objects {objects}");
Console.WriteLine($"heap_object_bytes {bytes}");
Console.WriteLine($"heap_committed_bytes {committed}");
foreach (var (kind, (committedBytes, objectBytes)) in byKind.OrderBy(kv => kv.Key))
{
    Console.WriteLine($"segments {kind} committed {committedBytes} objects {objectBytes}");
}
Console.WriteLine($"{"count",10} {"bytes",12}  type");
foreach (var (name, (count, size)) in byType.OrderByDescending(kv => kv.Value.Bytes).Take(top))
{
    Console.WriteLine($"{count,10} {size,12}  {name}");
}
