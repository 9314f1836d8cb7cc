using System.Collections.Concurrent;
using BehaviorPoints.Core.Domain;

namespace BehaviorPoints.Core.Tracking;

/// <summary>
/// Where visitors stand (lead, held, linking), kept for <see cref="Lifetime"/> so the collector reads a returning visitor
/// from memory. Whatever changes a visitor on this app instance (an identify, a release, a hold, the end of its linking)
/// forgets it at once; a change made by another instance is seen within <see cref="Lifetime"/>. Nothing exact depends
/// on it: a behavior sent meanwhile is still stored once and scored once (VisitorLinking picks up what waits).
/// </summary>
public sealed class VisitorCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private const int MaxVisitors = 100_000;

    private sealed record Kept(Visitor Visitor, DateTime Until);

    private readonly ConcurrentDictionary<(int Site, string Key), Kept> _byKey = new();
    private readonly ConcurrentDictionary<long, (int Site, string Key)> _keyOf = new();

    public Visitor? Find(int siteId, string key) =>
        _byKey.TryGetValue((siteId, key), out var kept) && kept.Until > clock.GetUtcNow().UtcDateTime ? kept.Visitor : null;

    public void Keep(Visitor visitor)
    {
        if (_byKey.Count >= MaxVisitors)
        {
            _byKey.Clear();
            _keyOf.Clear();
        }
        _byKey[(visitor.SiteId, visitor.Key)] = new Kept(visitor, clock.GetUtcNow().UtcDateTime + Lifetime);
        _keyOf[visitor.Id] = (visitor.SiteId, visitor.Key);
    }

    public void Forget(long visitorId)
    {
        if (_keyOf.TryRemove(visitorId, out var key))
        {
            _byKey.TryRemove(key, out _);
        }
    }
}
