using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Tracking;

/// <summary>
/// Who a website visitor is (SPEC §16). An identify ties the visitor to the lead with that email (creating it, source
/// "website", in the site's team when the site creates leads, else the email waits for a lead as an unlinked behavior's
/// contact does, §4); the visitor's waiting behaviors are then scored in time order, exactly once, by
/// <see cref="VisitorLinking"/>, in the background: the collector's answer does not wait for them. A visitor identified
/// again as another lead sends its later behaviors there; both leads' timelines say so.
/// </summary>
public sealed class VisitorIdentity(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    LeadCommands leads,
    VisitorLinking linking,
    VisitorCache visitors,
    TimeProvider clock)
{
    public const string WebsiteSource = "website";

    /// <summary>Identifies the visitor (row <paramref name="visitorId"/>) as the person with <paramref name="email"/>.</summary>
    public Task IdentifyAsync(SiteSettings site, long visitorId, string email, string? name, CancellationToken cancellationToken = default) =>
        IdentifyAsync(site, visitorId, email, null, name, cancellationToken);

    /// <summary>
    /// Identifies the visitor as the person with <paramref name="email"/> or, without one, the marketing system's
    /// <paramref name="externalId"/> (Segment's userId); a lead the site creates carries both.
    /// </summary>
    public async Task IdentifyAsync(SiteSettings site, long visitorId, string? email, string? externalId, string? name, CancellationToken cancellationToken = default)
    {
        email = ContactIdentity.NormalizeEmail(email);
        var leadId = await LeadOfAsync(email, externalId, cancellationToken);
        var held = await HeldAsync(visitorId, cancellationToken);
        if (leadId is null && site.CreateLeads && !held && (email is not null || externalId is not null))
        {
            leadId = await CreateLeadAsync(site, email, externalId, name, cancellationToken);
        }

        await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var visitor = await db.Visitors.FirstAsync(v => v.Id == visitorId, cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            if ((visitor.HeldReason is not null || leadId is null) && email is null)
            {
                return; // an external id no lead has: nothing to wait with
            }
            if (visitor.HeldReason is not null || leadId is null)
            {
                // A held visitor is identified when it is released; an email no lead has waits for one (§4): the
                // visitor's waiting behaviors carry it from now on, as its later ones will.
                visitor.Email = email;
                visitor.Name = name ?? visitor.Name;
                if (visitor.HeldReason is null && visitor.LeadId is null)
                {
                    await db.Behaviors.Where(b => b.VisitorId == visitorId && b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked)
                        .ExecuteUpdateAsync(b => b.SetProperty(x => x.ContactEmail, email), cancellationToken);
                }
                return;
            }
            var previous = visitor.LeadId;
            visitor.LeadId = leadId;
            visitor.Email = null;
            visitor.IdentifiedAt = now;
            visitor.LinkPending = true;
            if (previous == leadId)
            {
                return;
            }
            var siteName = site.Name;
            var shortId = visitor.Key.Length > 8 ? visitor.Key[..8] : visitor.Key;
            var identified = previous is null
                ? Said.Of("Identified on {0} as website visitor {1}: its behaviors before and after come here", siteName, shortId)
                : Said.Of("Identified on {0} as website visitor {1}, which was lead #{2} until now: its later behaviors come here", siteName, shortId, previous.Value);
            db.LeadActivities.Add(new LeadActivity { LeadId = leadId.Value, Kind = LeadActivityKind.Identified, At = now, Reason = identified.ToString(), ReasonSaid = identified.ToStoredJson() });
            if (previous is { } before)
            {
                var movedAway = Said.Of("Website visitor {0} on {1} identified as lead #{2}: its later behaviors go there, the ones before stay here",
                    shortId, siteName, leadId.Value);
                db.LeadActivities.Add(new LeadActivity { LeadId = before, Kind = LeadActivityKind.VisitorMovedAway, At = now, Reason = movedAway.ToString(), ReasonSaid = movedAway.ToStoredJson() });
            }
        }, cancellationToken);
        visitors.Forget(visitorId);
        linking.Request();
    }

    /// <summary>
    /// Releases a held visitor: the detectors no longer hold it and its held behaviors wait as any visitor's do, scored
    /// in time order, exactly once, once it is identified (at once when it is). False when there is no such visitor.
    /// </summary>
    public async Task<bool> ReleaseAsync(string visitorKey, CancellationToken cancellationToken = default)
    {
        var released = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var visitor = await db.Visitors.FirstOrDefaultAsync(v => v.Key == visitorKey, cancellationToken);
            if (visitor is null)
            {
                return null;
            }
            visitor.Released = true;
            if (visitor.HeldReason is null)
            {
                return visitor;
            }
            visitor.HeldReason = null;
            visitor.LinkPending = visitor.LeadId is not null;
            await db.Behaviors.Where(b => b.VisitorId == visitor.Id && b.Outcome == BehaviorOutcome.Held)
                .ExecuteUpdateAsync(b => b.SetProperty(x => x.Outcome, BehaviorOutcome.Unlinked).SetProperty(x => x.ContactEmail, visitor.LeadId == null ? visitor.Email : null), cancellationToken);
            return visitor;
        }, cancellationToken);
        if (released is null)
        {
            return false;
        }
        visitors.Forget(released.Id);
        if (released.LeadId is null && released.Email is { } email)
        {
            // It identified itself while held: it is identified now, as it would have been.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var site = await db.Sites.AsNoTracking().Include(s => s.Team).FirstAsync(s => s.Id == released.SiteId, cancellationToken);
            var settings = new SiteSettings(site.Id, site.Name, site.OriginList, site.Team?.Name, site.Consent, site.Identify, site.CreateLeads, site.TrackAllForms, null);
            await IdentifyAsync(settings, released.Id, email, null, released.Name, cancellationToken);
        }
        linking.Request();
        return true;
    }

    /// <summary>The lead with <paramref name="externalId"/> or <paramref name="email"/>, made when the site creates leads; null when none.</summary>
    public async Task<long?> LeadOfAsync(SiteSettings site, string? email, string? externalId, string? name, CancellationToken cancellationToken = default)
    {
        email = ContactIdentity.NormalizeEmail(email);
        return await LeadOfAsync(email, externalId, cancellationToken)
            ?? (site.CreateLeads && (email is not null || externalId is not null) ? await CreateLeadAsync(site, email, externalId, name, cancellationToken) : null);
    }

    private async Task<long?> LeadOfAsync(string? email, string? externalId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // When several leads share an identity, the oldest one is the person; the external id is the most specific (§4).
        return (externalId is null ? null : await db.Leads.Where(l => l.ExternalId == externalId).OrderBy(l => l.Id).Select(l => (long?)l.Id).FirstOrDefaultAsync(cancellationToken))
            ?? (email is null ? null : await db.Leads.Where(l => l.Email == email).OrderBy(l => l.Id).Select(l => (long?)l.Id).FirstOrDefaultAsync(cancellationToken));
    }

    private async Task<bool> HeldAsync(long visitorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Visitors.AnyAsync(v => v.Id == visitorId && v.HeldReason != null, cancellationToken);
    }

    private async Task<long?> CreateLeadAsync(SiteSettings site, string? email, string? externalId, string? name, CancellationToken cancellationToken)
    {
        var input = new LeadInput
        {
            Name = string.IsNullOrWhiteSpace(name) ? email ?? externalId! : name.Trim(),
            Email = email,
            ExternalId = externalId,
            Team = site.Team,
            Source = WebsiteSource,
        };
        var result = (await leads.CreateManyAsync([input], LeadAccess.All, null, cancellationToken))[0];
        // A lead made meanwhile with the same email (another identify) is the one.
        return result.LeadId ?? await LeadOfAsync(email, externalId, cancellationToken);
    }
}

/// <summary>
/// Scores identified visitors' waiting behaviors in time order, exactly once (SPEC §16): asked after each identify and
/// release, and every few seconds for the ones another app instance identified or a request stored while it ran. One
/// visitor per transaction, under the job's lease.
/// </summary>
public sealed class VisitorLinking(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    JobLeases leases,
    Ledger ledger,
    VisitorActivity activity,
    VisitorCache visitors,
    TimeProvider clock) : BackgroundJob
{
    public const string JobCode = "visitor-link";

    /// <summary>Visitors identified this recently are looked at again for behaviors stored as they were being linked.</summary>
    public static readonly TimeSpan Straggling = TimeSpan.FromMinutes(2);

    public override string Name => "Visitor linking";

    public override TimeSpan PollInterval => TimeSpan.FromSeconds(2);

    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        await activity.FlushAsync(cancellationToken);
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var since = started - Straggling;
            due = await db.Visitors
                .Where(v => v.LeadId != null && v.HeldReason == null
                    && (v.LinkPending || (v.IdentifiedAt >= since
                        && db.Behaviors.Any(b => b.VisitorId == v.Id && b.LeadId == null && b.Outcome == BehaviorOutcome.Unlinked))))
                .Select(v => v.Id).Take(1000).ToListAsync(cancellationToken);
        }
        var linked = 0;
        foreach (var visitorId in due)
        {
            var done = await unitOfWork.WriteAsync(scope => LinkAsync(scope, visitorId, cancellationToken), cancellationToken);
            if (done < 0)
            {
                break; // Another instance holds the job.
            }
            linked += done;
        }
        if (linked > 0)
        {
            Report(new JobProgress(0, linked, linked, started, clock.GetUtcNow().UtcDateTime));
        }
        return linked;
    }

    private async Task<int> LinkAsync(WriteScope scope, long visitorId, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await leases.HoldAsync(db, JobCode, now, cancellationToken))
        {
            return -1;
        }
        var visitor = await db.Visitors.FirstAsync(v => v.Id == visitorId, cancellationToken);
        if (visitor.LeadId is not { } leadId || visitor.HeldReason is not null)
        {
            return 0;
        }
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken);
        var linked = lead is null ? 0 : await ledger.LinkVisitorAsync(scope, lead, visitor.Id, cancellationToken);
        visitor.LinkPending = false;
        scope.AfterCommit(() => visitors.Forget(visitorId));
        return linked;
    }
}
