using System.Collections.Concurrent;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Tracking;

/// <summary>What the collector needs to know about the site a publishable key belongs to.</summary>
public sealed record SiteSettings(
    int Id, string Name, IReadOnlyList<string> Origins, string? Team, ConsentMode Consent, IdentifyPolicy Identify,
    bool CreateLeads, bool TrackAllForms, string? IdentifySecret);

/// <summary>
/// Publishable keys to their sites, read from the database and kept for <see cref="Lifetime"/> (the collector asks on
/// every request). A change made on this instance (a rotation, an edit) is seen at once: it forgets what it kept; one
/// made by another app instance within <see cref="Lifetime"/>.
/// </summary>
public sealed class SiteKeys(IDbContextFactory<BehaviorPointsDbContext> dbFactory, IdentifySecrets secrets, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private sealed record Kept(SiteSettings? Site, DateTime Until);

    private ConcurrentDictionary<string, Kept> _byKey = new(StringComparer.Ordinal);
    private (IReadOnlyList<string> Origins, DateTime Until)? _allOrigins;

    public async Task<SiteSettings?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var kept = _byKey;
        if (kept.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Site;
        }
        if (kept.Count > 10_000)
        {
            kept.Clear(); // Made-up keys must not grow it without end.
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.Sites.AsNoTracking().Include(s => s.Team).FirstOrDefaultAsync(s => s.PublishableKey == key, cancellationToken);
        var settings = site is null ? null : new SiteSettings(site.Id, site.Name, site.OriginList, site.Team?.Name, site.Consent, site.Identify,
            site.CreateLeads, site.TrackAllForms, site.ProtectedIdentifySecret is { } secret ? secrets.Unprotect(secret) : null);
        kept[key] = new Kept(settings, now + Lifetime);
        return settings;
    }

    /// <summary>Whether any site allows <paramref name="origin"/> (a preflight names no key).</summary>
    public async Task<bool> AnySiteAllowsAsync(string? origin, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_allOrigins is not { } all || all.Until <= now)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var origins = await db.Sites.AsNoTracking().Select(s => s.Origins).ToListAsync(cancellationToken);
            all = (origins.SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList(), now + Lifetime);
            _allOrigins = all;
        }
        return SiteOrigins.Allows(all.Origins, origin);
    }

    /// <summary>Forgets what was kept, after a site changed.</summary>
    public void Forget()
    {
        _byKey = new(StringComparer.Ordinal);
        _allOrigins = null;
    }
}
