using System.Security.Cryptography;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Tracking;

/// <summary>What a site's form and the API send (SPEC §16).</summary>
public sealed record SiteInput
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Origins { get; init; }

    /// <summary>The team the leads it creates join (a team name); null for none.</summary>
    public string? Team { get; init; }
    public string? Consent { get; init; } = "implied";
    public string? Identify { get; init; } = "form";
    public bool CreateLeads { get; init; } = true;
    public bool TrackAllForms { get; init; }
}

/// <summary>A site as its page and the API show it (never its identify secret), with today's counts.</summary>
public sealed record SiteView(
    int Id, string Name, IReadOnlyList<string> Origins, string? Team, string Consent, string Identify, bool CreateLeads,
    bool TrackAllForms, string PublishableKey, bool HasIdentifySecret, DateTime CreatedAt, SiteToday Today, DateTime? LastEventAt);

/// <summary>Today's numbers (UTC day): behaviors received, held back as a bot's, visitors identified.</summary>
public sealed record SiteToday(int Received, int HeldBack, int Identified);

/// <summary>A new site, or one whose identify secret was just made: the only time the secret is shown.</summary>
public sealed record SiteWithSecret(SiteView Site, string IdentifySecret);

/// <summary>One visitor of a site, for its page and <c>GET /api/v1/sites/{id}/visitors</c>.</summary>
public sealed record VisitorView(
    string VisitorId, long? LeadId, string? LeadName, int Behaviors, bool Held, string? HeldReason, DateTime FirstSeen, DateTime LastSeen)
{
    /// <summary>The email it identified with while it waits (held, or no lead has the email yet).</summary>
    public string? WaitingEmail { get; init; }
}

/// <summary>One behavior a site sent, newest first (Check installation, a visitor's page).</summary>
public sealed record SiteEventView(
    long Id, string VisitorId, string Type, DateTime OccurredAt, DateTime ReceivedAt, BehaviorOutcome Outcome, long? LeadId, string? Url);

/// <summary>Behaviors of a lead's website visitor that are held back: the lead's drawer shows them as not counted.</summary>
public sealed record HeldForLead(string Site, string VisitorId, string Reason, int Behaviors);

/// <summary>The held-back summary of a site: "Held back: 312 behaviors from 14 visitors", by reason.</summary>
public sealed record HeldSummary(int Behaviors, int Visitors, IReadOnlyList<(string Reason, int Visitors)> Reasons);

/// <summary>
/// The administration of sites (SPEC §16): add, change, delete; the publishable key (rotatable: the old key stops at
/// once) and the identify secret (shown once); the visitors, what a site sent lately, and releasing held visitors.
/// </summary>
public sealed class SiteService(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    IdentifySecrets secrets,
    SiteKeys keys,
    VisitorIdentity identity,
    TimeProvider clock)
{
    public const int MaxSites = 100;
    public const int MaxNameLength = 100;
    public const string KeyPrefix = "pk_";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static string NewPublishableKey() => KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async Task<IReadOnlyList<SiteView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sites = await db.Sites.AsNoTracking().Include(s => s.Team).Where(s => !s.IsSegmentSource).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var views = new List<SiteView>(sites.Count);
        foreach (var site in sites)
        {
            views.Add(await ViewAsync(db, site, cancellationToken));
        }
        return views;
    }

    public async Task<SiteView?> FindAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.Sites.AsNoTracking().Include(s => s.Team).FirstOrDefaultAsync(s => s.Id == id && !s.IsSegmentSource, cancellationToken);
        return site is null ? null : await ViewAsync(db, site, cancellationToken);
    }

    /// <summary>Adds a site with a new publishable key and identify secret (shown this once).</summary>
    public async Task<SiteWithSecret> CreateAsync(SiteInput input, CancellationToken cancellationToken = default)
    {
        var secret = IdentifySignature.NewSecret();
        // Protected before the transaction: the key ring may write its first key, which needs the database too.
        var protectedSecret = secrets.Protect(secret);
        var id = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            if (await db.Sites.CountAsync(cancellationToken) >= MaxSites)
            {
                throw new ValidationFailedException("name", "There are {0} sites already, the most there can be.", MaxSites);
            }
            var site = new Site { PublishableKey = NewPublishableKey(), ProtectedIdentifySecret = protectedSecret, CreatedAt = Now };
            await ApplyAsync(db, site, input, cancellationToken);
            db.Sites.Add(site);
            await db.SaveChangesAsync(cancellationToken);
            return site.Id;
        }, cancellationToken);
        return new SiteWithSecret((await FindAsync(id, cancellationToken))!, secret);
    }

    public async Task<SiteView?> UpdateAsync(int id, SiteInput input, CancellationToken cancellationToken = default)
    {
        var found = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == id && !s.IsSegmentSource, cancellationToken);
            if (site is null)
            {
                return false;
            }
            await ApplyAsync(db, site, input, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        keys.Forget();
        return found ? await FindAsync(id, cancellationToken) : null;
    }

    /// <summary>
    /// Deletes a site that never sent a behavior. One that did keeps explaining scores, so it stays: rotating its key
    /// stops it.
    /// </summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        var deleted = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == id && !s.IsSegmentSource, cancellationToken);
            if (site is null)
            {
                return false;
            }
            var sent = await db.Behaviors.LongCountAsync(b => db.Visitors.Any(v => v.SiteId == id && v.Id == b.VisitorId), cancellationToken);
            if (sent > 0)
            {
                throw new ValidationFailedException("id",
                    "This site sent {0} behaviors, and they explain scores, so it cannot be deleted. Rotate its key to stop it sending.", sent);
            }
            db.Visitors.RemoveRange(db.Visitors.Where(v => v.SiteId == id));
            db.Sites.Remove(site);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        keys.Forget();
        return deleted;
    }

    /// <summary>Adds <paramref name="origins"/> to the allowed origins of the site called <paramref name="name"/> (the demo website, at start).</summary>
    public async Task<bool> AllowOriginsAsync(string name, IEnumerable<string> origins, CancellationToken cancellationToken = default)
    {
        var found = await unitOfWork.WriteAsync(async scope =>
        {
            var site = await scope.Db.Sites.FirstOrDefaultAsync(s => s.Name == name && !s.IsSegmentSource, cancellationToken);
            if (site is null || SiteOrigins.Check([.. site.OriginList, .. origins], out var normalized) is not null)
            {
                return false;
            }
            site.Origins = string.Join('\n', normalized);
            return true;
        }, cancellationToken);
        keys.Forget();
        return found;
    }

    /// <summary>A new publishable key; the old one stops at once.</summary>
    public async Task<SiteView?> RotateKeyAsync(int id, CancellationToken cancellationToken = default)
    {
        var found = await unitOfWork.WriteAsync(async scope =>
            await scope.Db.Sites.Where(s => s.Id == id && !s.IsSegmentSource).ExecuteUpdateAsync(s => s.SetProperty(x => x.PublishableKey, NewPublishableKey()), cancellationToken) > 0,
            cancellationToken);
        keys.Forget();
        return found ? await FindAsync(id, cancellationToken) : null;
    }

    /// <summary>A new identify secret, shown this once; signatures made with the old one stop verifying.</summary>
    public async Task<SiteWithSecret?> NewIdentifySecretAsync(int id, CancellationToken cancellationToken = default)
    {
        var secret = IdentifySignature.NewSecret();
        var protectedSecret = secrets.Protect(secret);
        var found = await unitOfWork.WriteAsync(async scope =>
            await scope.Db.Sites.Where(s => s.Id == id && !s.IsSegmentSource).ExecuteUpdateAsync(s => s.SetProperty(x => x.ProtectedIdentifySecret, protectedSecret), cancellationToken) > 0,
            cancellationToken);
        keys.Forget();
        return found ? new SiteWithSecret((await FindAsync(id, cancellationToken))!, secret) : null;
    }

    /// <summary>The site's visitors, most recently seen first; only held ones when <paramref name="heldOnly"/>.</summary>
    public async Task<IReadOnlyList<VisitorView>?> VisitorsAsync(int siteId, bool heldOnly = false, int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Sites.AnyAsync(s => s.Id == siteId, cancellationToken))
        {
            return null;
        }
        var query = db.Visitors.AsNoTracking().Where(v => v.SiteId == siteId);
        if (heldOnly)
        {
            query = query.Where(v => v.HeldReason != null);
        }
        return await query.OrderByDescending(v => v.LastSeen).ThenByDescending(v => v.Id).Take(Math.Clamp(take, 1, 1000))
            .Select(v => new VisitorView(v.Key, v.LeadId, db.Leads.Where(l => l.Id == v.LeadId).Select(l => l.Name).FirstOrDefault(),
                db.Behaviors.Count(b => b.VisitorId == v.Id), v.HeldReason != null, v.HeldReason, v.FirstSeen, v.LastSeen))
            .ToListAsync(cancellationToken);
    }

    /// <summary>One visitor of the site, or null.</summary>
    public async Task<VisitorView?> VisitorAsync(int siteId, string visitorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Visitors.AsNoTracking().Where(v => v.SiteId == siteId && v.Key == visitorId)
            .Select(v => new VisitorView(v.Key, v.LeadId, db.Leads.Where(l => l.Id == v.LeadId).Select(l => l.Name).FirstOrDefault(),
                db.Behaviors.Count(b => b.VisitorId == v.Id), v.HeldReason != null, v.HeldReason, v.FirstSeen, v.LastSeen) { WaitingEmail = v.LeadId == null ? v.Email : null })
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>What the site sent lately, newest first (Check installation).</summary>
    public async Task<IReadOnlyList<SiteEventView>> RecentEventsAsync(int siteId, int take = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visitors = db.Visitors.Where(v => v.SiteId == siteId);
        var rows = await db.Behaviors.AsNoTracking()
            .Where(b => b.VisitorId != null && visitors.Any(v => v.Id == b.VisitorId))
            .OrderByDescending(b => b.Id).Take(Math.Clamp(take, 1, 200))
            .Select(b => new { b.Id, Visitor = visitors.Where(v => v.Id == b.VisitorId).Select(v => v.Key).First(), b.Type, b.OccurredAt, b.ReceivedAt, b.Outcome, b.LeadId, b.AttributesJson })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new SiteEventView(r.Id, r.Visitor, r.Type, r.OccurredAt, r.ReceivedAt, r.Outcome, r.LeadId, UrlOf(r.AttributesJson)))];
    }

    /// <summary>One visitor's behaviors, newest first.</summary>
    public async Task<IReadOnlyList<SiteEventView>?> VisitorEventsAsync(int siteId, string visitorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visitor = await db.Visitors.AsNoTracking().FirstOrDefaultAsync(v => v.SiteId == siteId && v.Key == visitorId, cancellationToken);
        if (visitor is null)
        {
            return null;
        }
        var rows = await db.Behaviors.AsNoTracking().Where(b => b.VisitorId == visitor.Id)
            .OrderByDescending(b => b.OccurredAt).ThenByDescending(b => b.Id).Take(500)
            .Select(b => new { b.Id, b.Type, b.OccurredAt, b.ReceivedAt, b.Outcome, b.LeadId, b.AttributesJson })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new SiteEventView(r.Id, visitor.Key, r.Type, r.OccurredAt, r.ReceivedAt, r.Outcome, r.LeadId, UrlOf(r.AttributesJson)))];
    }

    /// <summary>How many behaviors and visitors of the site are held back, by reason.</summary>
    public async Task<HeldSummary> HeldAsync(int siteId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var held = db.Visitors.Where(v => v.SiteId == siteId && v.HeldReason != null);
        var reasons = await held.GroupBy(v => v.HeldReason!).Select(g => new { Reason = g.Key, Visitors = g.Count() })
            .OrderByDescending(g => g.Visitors).ToListAsync(cancellationToken);
        var behaviors = await db.Behaviors.CountAsync(b => b.Outcome == BehaviorOutcome.Held && held.Any(v => v.Id == b.VisitorId), cancellationToken);
        return new HeldSummary(behaviors, reasons.Sum(r => r.Visitors), [.. reasons.Select(r => (r.Reason, r.Visitors))]);
    }

    /// <summary>The lead's visitors held back since they were identified, with how many of their behaviors wait.</summary>
    public async Task<IReadOnlyList<HeldForLead>> HeldForLeadAsync(long leadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Visitors.AsNoTracking().Where(v => v.LeadId == leadId && v.HeldReason != null)
            .Select(v => new HeldForLead(v.Site!.Name, v.Key, v.HeldReason!, db.Behaviors.Count(b => b.VisitorId == v.Id && b.Outcome == BehaviorOutcome.Held)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Releases a held visitor: the detectors no longer hold it, and its held behaviors are scored in time order, exactly
    /// once, when it is identified (at once when it is). False when there is no such visitor.
    /// </summary>
    public Task<bool> ReleaseAsync(string visitorId, CancellationToken cancellationToken = default) =>
        identity.ReleaseAsync(visitorId, cancellationToken);

    private async Task<SiteView> ViewAsync(BehaviorPointsDbContext db, Site site, CancellationToken cancellationToken)
    {
        var today = Now.Date;
        var visitors = db.Visitors.Where(v => v.SiteId == site.Id);
        var received = await db.Behaviors.CountAsync(b => b.ReceivedAt >= today && visitors.Any(v => v.Id == b.VisitorId), cancellationToken);
        var held = await db.Behaviors.CountAsync(b => b.ReceivedAt >= today && b.Outcome == BehaviorOutcome.Held && visitors.Any(v => v.Id == b.VisitorId), cancellationToken);
        var identified = await visitors.CountAsync(v => v.IdentifiedAt >= today, cancellationToken);
        var last = await visitors.MaxAsync(v => (DateTime?)v.LastSeen, cancellationToken);
        return new SiteView(site.Id, site.Name, site.OriginList, site.Team?.Name, Words(site.Consent), Words(site.Identify), site.CreateLeads,
            site.TrackAllForms, site.PublishableKey, site.ProtectedIdentifySecret is not null, site.CreatedAt, new SiteToday(received, held, identified), last);
    }

    private static async Task ApplyAsync(BehaviorPointsDbContext db, Site site, SiteInput input, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Of("name", "Give the site a name, such as Company website."));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(FieldError.Of("name", "The name is {0} characters long; the limit is {1}.", name.Length, MaxNameLength));
        }
        else if (UserText.HasControlCharacters(name))
        {
            errors.Add(FieldError.Of("name", "The name must not contain control characters."));
        }
        else if (await db.Sites.AnyAsync(s => s.Id != site.Id && s.Name == name, cancellationToken))
        {
            errors.Add(FieldError.Of("name", "Another site is called '{0}'.", name));
        }
        if (SiteOrigins.Check(input.Origins ?? [], out var origins) is { } originError)
        {
            errors.Add(originError);
        }
        if (!TryParse<ConsentMode>(input.Consent, out var consent))
        {
            errors.Add(FieldError.Of("consent", "consent is implied or required, not '{0}'.", input.Consent));
        }
        if (!TryParse<IdentifyPolicy>(input.Identify, out var identify))
        {
            errors.Add(FieldError.Of("identify", "identify is form or signed, not '{0}'.", input.Identify));
        }
        int? teamId = null;
        if (!string.IsNullOrWhiteSpace(input.Team))
        {
            var teamName = input.Team.Trim();
            teamId = await db.Teams.Where(t => t.Name == teamName).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken);
            if (teamId is null)
            {
                errors.Add(FieldError.Of("team", "There is no team called '{0}'.", teamName));
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        site.Name = name;
        site.Origins = string.Join('\n', origins);
        site.TeamId = teamId;
        site.Consent = consent;
        site.Identify = identify;
        site.CreateLeads = input.CreateLeads;
        site.TrackAllForms = input.TrackAllForms;
    }

    private static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    public static string Words<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string? UrlOf(string attributesJson)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(attributesJson);
            return document.RootElement.TryGetProperty("url", out var url) && url.ValueKind == System.Text.Json.JsonValueKind.String ? url.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
