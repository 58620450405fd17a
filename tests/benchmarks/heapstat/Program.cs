// heapstat PID [TOP] [--no-gc] — for the idle-memory benchmark:
//  1. forces a full blocking GC in process PID through an EventPipe session with the GCHeapCollect keyword (as dotnet-gcdump does);
//  2. attaches with ClrMD (process suspended while it walks the heap) and prints the heap by type: count, bytes, after that GC.
// Objects allocated between the GC and the walk are included; at an idle fleet that is little.
// With --no-gc step 1 is skipped: the walk then counts garbage not yet collected too (compare the two to see the garbage).
// Also prints, per kind of GC region/segment (gen0, gen1, gen2, large, pinned, ...), the committed bytes and object bytes.
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

var pid = int.Parse(args[0]);
var top = args.Length > 1 && int.TryParse(args[1], out var t) ? t : 30;
var forceGc = !args.Contains("--no-gc");

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
