using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Predictive;

/// <summary>How often a lead showed one behavior type in the 7, 30 and 90 days before a moment (its close, or now).</summary>
public sealed record BehaviorCounts(int Last7Days, int Last30Days, int Last90Days)
{
    /// <summary>The count over <paramref name="days"/> (7, 30 or 90).</summary>
    public int Over(int days) => days switch { 7 => Last7Days, 30 => Last30Days, _ => Last90Days };
}

/// <summary>
/// What a prediction reads of one lead at one moment (SPEC §13): its fit fields, its behaviors counted per type over the
/// 7, 30 and 90 days before the moment, the days since its last behavior, and its Behavior Points total then.
/// </summary>
public sealed record LeadFeatures(
    string? Industry,
    string? CompanySize,
    string? JobTitle,
    string? Region,
    IReadOnlyDictionary<string, BehaviorCounts> Behaviors,
    double? DaysSinceLastBehavior,
    long Points)
{
    /// <summary>The windows behaviors are counted over, in days.</summary>
    public static IReadOnlyList<int> Windows { get; } = [7, 30, 90];

    /// <summary>
    /// The features at <paramref name="at"/> from the lead's behaviors (type and time) and entries (points and time).
    /// Anything at or after the moment is left out: for a closed lead it would tell the answer.
    /// </summary>
    public static LeadFeatures At(
        DateTime at, string? industry, string? companySize, string? jobTitle, string? region,
        IEnumerable<(string Type, DateTime At)> behaviors, IEnumerable<(int Points, DateTime At)> entries)
    {
        var before = behaviors.Where(b => b.At < at).ToList();
        double? sinceLast = before.Count == 0 ? null : (at - before.Max(b => b.At)).TotalDays;
        var points = entries.Where(e => e.At < at).Sum(e => (long)e.Points);
        return new LeadFeatures(industry, companySize, jobTitle, region, Count(before, at), sinceLast, points);
    }

    /// <summary>Behaviors (all before <paramref name="at"/>) counted per type over each window back from it.</summary>
    public static IReadOnlyDictionary<string, BehaviorCounts> Count(IEnumerable<(string Type, DateTime At)> behaviors, DateTime at) =>
        behaviors
            .Where(b => b.At >= at.AddDays(-90))
            .GroupBy(b => b.Type, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new BehaviorCounts(g.Count(b => b.At >= at.AddDays(-7)), g.Count(b => b.At >= at.AddDays(-30)), g.Count()),
                StringComparer.Ordinal);

    /// <summary>The value of a fit field by its code (<see cref="Fit.FitFields"/>), or null.</summary>
    public string? Field(string code) => code switch
    {
        Fit.FitFields.Industry => Industry,
        Fit.FitFields.CompanySize => CompanySize,
        Fit.FitFields.JobTitle => JobTitle,
        Fit.FitFields.Region => Region,
        _ => null,
    };
}

/// <summary>One closed lead as a prediction learns from it: what was known before it closed, and whether it was won (Converted) or lost.</summary>
public sealed record ClosedLeadFeatures(long LeadId, bool Won, DateTime ClosedAt, LeadFeatures Features)
{
    public static ClosedLeadFeatures From(
        long leadId, bool won, DateTime closedAt, string? industry, string? companySize, string? jobTitle, string? region,
        IEnumerable<(string Type, DateTime At)> behaviors, IEnumerable<(int Points, DateTime At)> entries) =>
        new(leadId, won, closedAt, LeadFeatures.At(closedAt, industry, companySize, jobTitle, region, behaviors, entries));
}

/// <summary>Reads leads' features from the database, a batch of leads at a time.</summary>
public sealed class TrainingData(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    private const int BatchSize = 1000;

    /// <summary>Every closed lead (Converted or Lost, with its close time known), oldest close first; <paramref name="progress"/> hears of each batch.</summary>
    public async Task<IReadOnlyList<ClosedLeadFeatures>> ClosedLeadsAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = await db.Leads.AsNoTracking()
            .Where(l => (l.Status == LeadStatus.Converted || l.Status == LeadStatus.Lost) && l.ClosedAt != null)
            .OrderBy(l => l.ClosedAt).ThenBy(l => l.Id)
            .Select(l => new { l.Id, l.Status, ClosedAt = l.ClosedAt!.Value, l.Industry, l.CompanySize, l.JobTitle, l.Region })
            .ToListAsync(cancellationToken);

        var features = new List<ClosedLeadFeatures>(leads.Count);
        foreach (var batch in leads.Chunk(BatchSize))
        {
            var ids = batch.Select(l => l.Id).ToList();
            var behaviors = (await db.Behaviors.AsNoTracking()
                    .Where(b => b.LeadId != null && ids.Contains(b.LeadId.Value))
                    .Select(b => new { LeadId = b.LeadId!.Value, b.Type, b.OccurredAt })
                    .ToListAsync(cancellationToken))
                .ToLookup(b => b.LeadId, b => (b.Type, b.OccurredAt));
            var entries = (await db.ScoreEntries.AsNoTracking()
                    .Where(e => ids.Contains(e.LeadId))
                    .Select(e => new { e.LeadId, e.Points, e.OccurredAt })
                    .ToListAsync(cancellationToken))
                .ToLookup(e => e.LeadId, e => (e.Points, e.OccurredAt));
            features.AddRange(batch.Select(l => ClosedLeadFeatures.From(
                l.Id, l.Status == LeadStatus.Converted, l.ClosedAt, l.Industry, l.CompanySize, l.JobTitle, l.Region,
                behaviors[l.Id], entries[l.Id])));
            progress?.Report((features.Count, leads.Count));
        }
        return features;
    }

    /// <summary>
    /// The open leads (neither Converted nor Lost) among <paramref name="ids"/> as they stand at <paramref name="now"/>:
    /// behaviors counted back from now, the total as it is, the days since the lead's last behavior.
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, LeadFeatures>> OpenLeadsAsync(BehaviorPointsDbContext db, IReadOnlyCollection<long> ids, DateTime now, CancellationToken cancellationToken = default)
    {
        var leads = await db.Leads.AsNoTracking()
            .Where(l => ids.Contains(l.Id) && l.Status != LeadStatus.Converted && l.Status != LeadStatus.Lost)
            .Select(l => new { l.Id, l.Industry, l.CompanySize, l.JobTitle, l.Region, l.BehaviorPoints, l.LastActivityAt })
            .ToListAsync(cancellationToken);
        if (leads.Count == 0)
        {
            return new Dictionary<long, LeadFeatures>();
        }
        var open = leads.Select(l => l.Id).ToList();
        var since = now.AddDays(-90);
        var behaviors = (await db.Behaviors.AsNoTracking()
                .Where(b => b.LeadId != null && open.Contains(b.LeadId.Value) && b.OccurredAt >= since && b.OccurredAt < now)
                .Select(b => new { LeadId = b.LeadId!.Value, b.Type, b.OccurredAt })
                .ToListAsync(cancellationToken))
            .ToLookup(b => b.LeadId, b => (b.Type, b.OccurredAt));
        return leads.ToDictionary(
            l => l.Id,
            l => new LeadFeatures(
                l.Industry, l.CompanySize, l.JobTitle, l.Region, LeadFeatures.Count(behaviors[l.Id], now),
                l.LastActivityAt is { } last ? Math.Max(0, (now - last).TotalDays) : null, l.BehaviorPoints));
    }
}
