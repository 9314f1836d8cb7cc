using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Predictive;

/// <summary>How often a lead showed one behavior type in the 7, 30 and 90 days before it closed.</summary>
public sealed record BehaviorCounts(int Last7Days, int Last30Days, int Last90Days);

/// <summary>
/// One closed lead as a prediction learns from it (SPEC §13): only what was known before it closed (its fit fields, its
/// behaviors before the close counted per type over 7, 30 and 90 days, the days since its last behavior, its Behavior
/// Points total at the close from the entries' times) and whether it was won (Converted) or lost.
/// </summary>
public sealed record ClosedLeadFeatures(
    long LeadId,
    bool Won,
    DateTime ClosedAt,
    string? Industry,
    string? CompanySize,
    string? JobTitle,
    string? Region,
    IReadOnlyDictionary<string, BehaviorCounts> Behaviors,
    double? DaysSinceLastBehavior,
    long PointsAtClose)
{
    /// <summary>
    /// The features of a lead closed at <paramref name="closedAt"/> from its behaviors (type and time) and its entries
    /// (points and time). Anything at or after the close is left out: it would tell the answer.
    /// </summary>
    public static ClosedLeadFeatures From(
        long leadId, bool won, DateTime closedAt, string? industry, string? companySize, string? jobTitle, string? region,
        IEnumerable<(string Type, DateTime At)> behaviors, IEnumerable<(int Points, DateTime At)> entries)
    {
        var before = behaviors.Where(b => b.At < closedAt).ToList();
        var counts = before
            .Where(b => b.At >= closedAt.AddDays(-90))
            .GroupBy(b => b.Type, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new BehaviorCounts(g.Count(b => b.At >= closedAt.AddDays(-7)), g.Count(b => b.At >= closedAt.AddDays(-30)), g.Count()),
                StringComparer.Ordinal);
        double? sinceLast = before.Count == 0 ? null : (closedAt - before.Max(b => b.At)).TotalDays;
        var points = entries.Where(e => e.At < closedAt).Sum(e => (long)e.Points);
        return new ClosedLeadFeatures(leadId, won, closedAt, industry, companySize, jobTitle, region, counts, sinceLast, points);
    }
}

/// <summary>Reads the closed leads' features from the database, a batch of leads at a time.</summary>
public sealed class TrainingData(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    private const int BatchSize = 1000;

    /// <summary>Every closed lead (Converted or Lost, with its close time known), oldest close first.</summary>
    public async Task<IReadOnlyList<ClosedLeadFeatures>> ClosedLeadsAsync(CancellationToken cancellationToken = default)
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
        }
        return features;
    }
}
