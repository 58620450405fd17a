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
    var gen1Refs = new Dictionary<string, (long Count, long Bytes)>();
    var youngCards = new HashSet<ulong>();
    var gen1Cards = new HashSet<ulong>();
    var youngCardsByType = new Dictionary<string, HashSet<ulong>>();
    var gen1CardsByType = new Dictionary<string, HashSet<ulong>>();
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
        foreach (var reference in obj.EnumerateReferencesWithFields(carefully: false, considerDependantHandles: false))
        {
            var referenced = reference.Object;
            if (!referenced.IsValid)
            {
                continue;
            }
            var referencedGen = GenOf(referenced.Address);
            // The card (256 bytes of the older object's memory) that holds the reference: what a gen0 GC scans.
            var card = (obj.Address + (ulong)reference.Offset + (ulong)IntPtr.Size) >> 8;
            if (referencedGen == Generation.Generation0)
            {
                var key = $"{name} ({gen}) -> {referenced.Type?.Name ?? "?"}";
                cards[key] = cards.TryGetValue(key, out var c) ? (c.Count + 1, c.Bytes + (long)referenced.Size) : (1, (long)referenced.Size);
                youngCards.Add(card);
                (youngCardsByType.TryGetValue(name, out var set) ? set : youngCardsByType[name] = []).Add(card);
            }
            else if (referencedGen == Generation.Generation1 && gen != Generation.Generation1)
            {
                // A gen2 (or large/pinned) object pointing at a gen1 one: its card stays set through every gen0 GC until a gen1 GC.
                var key = $"{name} ({gen}) -> {referenced.Type?.Name ?? "?"}";
                gen1Refs[key] = gen1Refs.TryGetValue(key, out var c) ? (c.Count + 1, c.Bytes + (long)referenced.Size) : (1, (long)referenced.Size);
                gen1Cards.Add(card);
                (gen1CardsByType.TryGetValue(name, out var set) ? set : gen1CardsByType[name] = []).Add(card);
            }
        }
    }
    Console.WriteLine($"gen1 objects: {gen1.Values.Sum(v => v.Count)}, {gen1.Values.Sum(v => v.Bytes)} bytes");
    Console.WriteLine($"{"count",10} {"bytes",12}  type (in gen1)");
    foreach (var (name, (count, size)) in gen1.OrderByDescending(kv => kv.Value.Bytes).Take(top))
    {
        Console.WriteLine($"{count,10} {size,12}  {name}");
    }
    // The card table itself (one bit per 256 bytes, 32 to a word, indexed by absolute address): the cards set now in the
    // gen2/large/pinned regions are what the next gen0 GC scans, whether or not the reference written there is still young.
    var cardTable = heap.SubHeaps[0].CardTable;
    var setCards = new HashSet<ulong>();
    var cardKinds = new Dictionary<ulong, int>();
    // Which part of the program an old object belongs to, to tell whose writes set the cards (a card holds several objects).
    static int KindOf(string type) =>
        type.Contains("System.Net.", StringComparison.Ordinal) || type.Contains("WebSocket", StringComparison.Ordinal)
            || type.Contains("CancellationTokenSource", StringComparison.Ordinal) || type.Contains("AsyncMutex", StringComparison.Ordinal)
            || type.Contains("MailboxListener", StringComparison.Ordinal) ? 1
        : type.StartsWith("Akka.", StringComparison.Ordinal) || type.Contains("<Akka.", StringComparison.Ordinal)
            || type.Contains("ChargePointMailboxQueue", StringComparison.Ordinal) || type.Contains("Envelope", StringComparison.Ordinal) ? 2
        : type.Contains("Simulator.", StringComparison.Ordinal) ? 4
        : 8;
    var setCardsByType = new Dictionary<string, (long Cards, long Objects, long All)>();
    long oldCards = 0;
    if (cardTable != 0)
    {
        foreach (var segment in heap.Segments)
        {
            if (segment.Kind is not (GCSegmentKind.Generation2 or GCSegmentKind.Large or GCSegmentKind.Pinned))
            {
                continue;
            }
            var first = segment.ObjectRange.Start >> 13;
            var last = (segment.ObjectRange.End - 1) >> 13;
            var words = new uint[last - first + 1];
            var bytesRead = target.DataReader.Read(cardTable + first * 4, System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
            bool IsSet(ulong card) => (card >> 5) - first < (ulong)words.Length && (words[(card >> 5) - first] & (1u << (int)(card & 31))) != 0;
            oldCards += (long)((segment.ObjectRange.End - segment.ObjectRange.Start) >> 8);
            foreach (var obj in segment.EnumerateObjects())
            {
                if (!obj.IsValid || obj.IsFree || obj.Type is null || !obj.Type.ContainsPointers)
                {
                    continue;
                }
                // Per type: how many of its objects lie (partly) on a set card, and how many set cards it lies on (a card holds
                // several small objects, so a card counts for each of them: a type written every interval covers ~all its objects).
                var covered = 0;
                for (var card = obj.Address >> 8; card <= (obj.Address + obj.Size - 1) >> 8; card++)
                {
                    if (IsSet(card))
                    {
                        setCards.Add(card);
                        covered++;
                    }
                }
                var name = obj.Type.Name ?? "?";
                if (covered > 0)
                {
                    var kind = KindOf(name);
                    for (var card = obj.Address >> 8; card <= (obj.Address + obj.Size - 1) >> 8; card++)
                    {
                        if (IsSet(card))
                        {
                            cardKinds[card] = cardKinds.GetValueOrDefault(card) | kind;
                        }
                    }
                }
                var (cardsSoFar, objectsSoFar, allSoFar) = setCardsByType.TryGetValue(name, out var c) ? c : (0, 0, 0);
                setCardsByType[name] = (cardsSoFar + covered, objectsSoFar + (covered > 0 ? 1 : 0), allSoFar + 1);
            }
        }
        Console.WriteLine($"card table: {setCards.Count} cards set of {oldCards} in gen2/large/pinned; of those holding a reference to gen0 now {youngCards.Count(setCards.Contains)} of {youngCards.Count}, to gen1 {gen1Cards.Count(setCards.Contains)} of {gen1Cards.Count}");
        string KindName(int k) => string.Join("+", new[] { (1, "transport"), (2, "akka+mailbox"), (4, "fleetsim"), (8, "other") }.Where(x => (k & x.Item1) != 0).Select(x => x.Item2));
        Console.WriteLine("set cards by what lies on them (transport: sockets, WebSocket, their async state, cancellation; akka+mailbox; fleetsim: Simulator.* types; other: collections etc.):");
        foreach (var group in cardKinds.Values.GroupBy(k => k).OrderByDescending(g => g.Count()))
        {
            Console.WriteLine($"{group.Count(),10}  {KindName(group.Key)}");
        }
        Console.WriteLine($"{"cards",10} {"on a set",10} {"of all",10}  type (old objects with references lying on set cards)");
        foreach (var (name, (count, objs, all)) in setCardsByType.OrderByDescending(kv => kv.Value.Objects).Take(top * 2))
        {
            Console.WriteLine($"{count,10} {objs,10} {all,10}  {name}");
        }
    }
    Console.WriteLine($"older -> gen0 references: {cards.Values.Sum(v => v.Count)}");
    Console.WriteLine($"{"count",10} {"bytes",12}  older type (generation) -> gen0 type (bytes: the gen0 objects' own size)");
    foreach (var (name, (count, size)) in cards.OrderByDescending(kv => kv.Value.Count).Take(top))
    {
        Console.WriteLine($"{count,10} {size,12}  {name}");
    }
    Console.WriteLine($"older gen2/large -> gen1 references (cards kept set until a gen1 GC): {gen1Refs.Values.Sum(v => v.Count)}");
    foreach (var (name, (count, size)) in gen1Refs.OrderByDescending(kv => kv.Value.Count).Take(top))
    {
        Console.WriteLine($"{count,10} {size,12}  {name}");
    }
    var allCards = new HashSet<ulong>(youngCards);
    allCards.UnionWith(gen1Cards);
    Console.WriteLine($"distinct 256-byte cards holding a reference to gen0: {youngCards.Count}; to gen1 (from gen2): {gen1Cards.Count}; either: {allCards.Count}");
    Console.WriteLine("cards by the older object's type (to gen0 / to gen1):");
    foreach (var name in youngCardsByType.Keys.Union(gen1CardsByType.Keys)
        .OrderByDescending(n => (youngCardsByType.GetValueOrDefault(n)?.Count ?? 0) + (gen1CardsByType.GetValueOrDefault(n)?.Count ?? 0)).Take(top))
    {
        Console.WriteLine($"{youngCardsByType.GetValueOrDefault(name)?.Count ?? 0,10} {gen1CardsByType.GetValueOrDefault(name)?.Count ?? 0,10}  {name}");
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
