using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Predictive;

/// <summary>
/// Whether a rule earns its points (SPEC §13): of the closed leads it scored before they closed, the share that
/// converted (with its 95 % Wilson interval), against the share of the closed leads it did not score, and their ratio.
/// Rates are null where there is no lead to take them over.
/// </summary>
public sealed record RuleInsight(
    string RuleName,
    int Points,
    int ClosedLeadsScored,
    int ConvertedScored,
    double? ConversionRate,
    double? ConversionRateWithout,
    double? Lift,
    double? Low,
    double? High)
{
    /// <summary>
    /// The interval says the points point the wrong way: the leads the rule rewards convert less often than the rest
    /// (even at the interval's top), or the leads it penalises more often (even at its bottom).
    /// </summary>
    public bool PointsPointTheWrongWay =>
        ConversionRateWithout is { } without
        && ((Points > 0 && High < without) || (Points < 0 && Low > without));
}

/// <summary>Closed leads at one level (intent at the close, or fit) and the share that converted.</summary>
public sealed record LevelConversion(string Level, int Closed, int Converted)
{
    public double? Rate => Closed == 0 ? null : (double)Converted / Closed;

    /// <summary>
    /// How many times as often the top level converted as the bottom one (High ÷ Low), with both; null when either has
    /// no closed lead or the bottom one none converted.
    /// </summary>
    public static (LevelConversion Top, LevelConversion Bottom, double Times)? TopOverBottom(IReadOnlyList<LevelConversion> levels) =>
        levels.Count >= 2 && levels[^1] is { Rate: { } top } high && levels[0] is { Rate: { } bottom and > 0 } low ? (high, low, top / bottom) : null;
}

/// <summary>The dashboard's view of how the scores predict: conversion per intent level and per fit level, and each rule's insight.</summary>
public sealed record ConversionInsights(int Closed, int Converted, IReadOnlyList<LevelConversion> ByIntentLevel, IReadOnlyList<LevelConversion> ByFitLevel, IReadOnlyList<RuleInsight> Rules);

/// <summary>Computes rule insights and conversion per level from the closed leads and their entries before the close.</summary>
public sealed class RuleInsights(IDbContextFactory<BehaviorPointsDbContext> dbFactory, PublishedRuleSets ruleSets)
{
    /// <summary>The z of a two-sided 95 % interval.</summary>
    private const double Z = 1.959963984540054;

    /// <summary>The 95 % Wilson score interval of <paramref name="successes"/> in <paramref name="trials"/>; null for no trials.</summary>
    public static (double Low, double High)? Wilson(int successes, int trials)
    {
        if (trials <= 0)
        {
            return null;
        }
        var p = (double)successes / trials;
        var z2 = Z * Z;
        var denominator = 1 + z2 / trials;
        var centre = (p + z2 / (2 * trials)) / denominator;
        var half = Z / denominator * Math.Sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>One rule's insight from the counts: leads it scored and converted, of all closed and converted.</summary>
    public static RuleInsight Of(string ruleName, int points, int scored, int convertedScored, int closed, int converted)
    {
        double? rate = scored == 0 ? null : (double)convertedScored / scored;
        var without = closed - scored;
        double? rateWithout = without == 0 ? null : (double)(converted - convertedScored) / without;
        double? lift = rate is { } r && rateWithout is { } w && w > 0 ? r / w : null;
        var interval = Wilson(convertedScored, scored);
        return new RuleInsight(ruleName, points, scored, convertedScored, rate, rateWithout, lift, interval?.Low, interval?.High);
    }

    /// <summary>The insight of each rule of the published rule set, in its order (none before a publish).</summary>
    public async Task<IReadOnlyList<RuleInsight>> ForRulesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ForRulesAsync(db, cancellationToken);
    }

    /// <summary>Conversion per intent level at the close, per fit level, and per rule.</summary>
    public async Task<ConversionInsights> SummaryAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ruleSet = await ruleSets.CurrentAsync(db, cancellationToken);
        var closed = await db.Leads.AsNoTracking().Where(ClosedLead)
            .Select(l => new { l.Id, Won = l.Status == LeadStatus.Converted, l.FitLevel })
            .ToListAsync(cancellationToken);
        var totals = await (
                from e in db.ScoreEntries
                join l in db.Leads on e.LeadId equals l.Id
                where (l.Status == LeadStatus.Converted || l.Status == LeadStatus.Lost) && l.ClosedAt != null && e.OccurredAt < l.ClosedAt
                group e by e.LeadId into g
                select new { LeadId = g.Key, Total = g.Sum(e => (long)e.Points) })
            .ToDictionaryAsync(t => t.LeadId, t => t.Total, cancellationToken);

        var bands = PublishedRuleSets.BandsOf(ruleSet);
        var byIntent = bands is null ? [] : bands.Options
            .Select(o => o.Label)
            .Select(level =>
            {
                var at = closed.Where(l => bands.LevelOf(totals.GetValueOrDefault(l.Id)) == level).ToList();
                return new LevelConversion(level, at.Count, at.Count(l => l.Won));
            })
            .ToList();
        var byFit = FitLevels.All
            .Select(level =>
            {
                var at = closed.Where(l => l.FitLevel == level).ToList();
                return new LevelConversion(level, at.Count, at.Count(l => l.Won));
            })
            .ToList();
        return new ConversionInsights(closed.Count, closed.Count(l => l.Won), byIntent, byFit, await ForRulesAsync(db, cancellationToken));
    }

    private async Task<IReadOnlyList<RuleInsight>> ForRulesAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken)
    {
        if (await ruleSets.CurrentAsync(db, cancellationToken) is not { } ruleSet)
        {
            return [];
        }
        var outcomes = await db.Leads.AsNoTracking().Where(ClosedLead)
            .GroupBy(l => l.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var closed = outcomes.Sum(o => o.Count);
        var converted = outcomes.Where(o => o.Status == LeadStatus.Converted).Sum(o => o.Count);

        var scored = await (
                from e in db.ScoreEntries
                join l in db.Leads on e.LeadId equals l.Id
                where (l.Status == LeadStatus.Converted || l.Status == LeadStatus.Lost) && l.ClosedAt != null
                    && e.Kind == ScoreEntryKind.Rule && e.OccurredAt < l.ClosedAt
                select new { e.RuleName, e.LeadId, Won = l.Status == LeadStatus.Converted })
            .Distinct()
            .GroupBy(x => x.RuleName)
            .Select(g => new { RuleName = g.Key, Scored = g.Count(), Won = g.Count(x => x.Won) })
            .ToDictionaryAsync(g => g.RuleName, cancellationToken);

        return ruleSet.Rules
            .Select(rule => scored.TryGetValue(rule.Name, out var s)
                ? Of(rule.Name, rule.Points, s.Scored, s.Won, closed, converted)
                : Of(rule.Name, rule.Points, 0, 0, closed, converted))
            .ToList();
    }

    private static readonly System.Linq.Expressions.Expression<Func<Lead, bool>> ClosedLead =
        l => (l.Status == LeadStatus.Converted || l.Status == LeadStatus.Lost) && l.ClosedAt != null;
}
