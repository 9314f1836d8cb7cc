using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>How far a preview has read.</summary>
public sealed record PreviewProgress(long BehaviorsDone, long BehaviorsTotal, int LeadsDone, int LeadsTotal)
{
    public double Percent => BehaviorsTotal == 0 ? (LeadsTotal == 0 ? 100 : 100.0 * LeadsDone / LeadsTotal) : Math.Min(100, 100.0 * BehaviorsDone / BehaviorsTotal);
}

/// <summary>How many leads would move from one intent level to another (the same level on both sides: stay).</summary>
public sealed record LevelMove(string? From, string? To, int Leads);

/// <summary>One range of totals and how many leads fall in it now and under the draft.</summary>
public sealed record ScoreBucket(string Label, long? Min, long? Max, int Before, int After);

/// <summary>One category's scores now and under the draft, bucketed like the totals (SPEC §12).</summary>
public sealed record CategoryDistribution(string Category, IReadOnlyList<ScoreBucket> Buckets);

/// <summary>How many leads would be in stage <see cref="To"/> after the re-score that are in <see cref="From"/> now.</summary>
public sealed record StageMove(string From, string To, int Leads);

/// <summary>One lead's total now and under the draft.</summary>
public sealed record LeadScoreChange(long LeadId, string Name, long Before, long After, string? LevelBefore, string? LevelAfter)
{
    public long Delta => After - Before;
}

/// <summary>What publishing the draft with a re-score would do, computed without writing anything.</summary>
public sealed record PreviewResult(
    int Leads,
    long Behaviors,
    int LeadsChanged,
    IReadOnlyList<string> LevelsNow,
    IReadOnlyList<string> LevelsAfter,
    IReadOnlyList<LevelMove> Moves,
    IReadOnlyList<ScoreBucket> Distribution,
    IReadOnlyList<LeadScoreChange> BiggestChanges)
{
    /// <summary>Each of the draft's categories: its scores now and after.</summary>
    public IReadOnlyList<CategoryDistribution> Categories { get; init; } = [];

    /// <summary>Leads whose stage would change, from and to (the re-score rebuilds stage history).</summary>
    public IReadOnlyList<StageMove> StageMoves { get; init; } = [];

    /// <summary>How many leads go from <paramref name="from"/> now to <paramref name="to"/> after re-scoring.</summary>
    public int Moving(string? from, string? to) => Moves.Where(m => m.From == from && m.To == to).Sum(m => m.Leads);

    /// <summary>The matrix's rows: the levels now, then any level a lead has that the bands no longer name.</summary>
    public IEnumerable<string?> FromLevels => LevelsNow.Cast<string?>().Concat(Moves.Select(m => m.From).Where(f => f is null || !LevelsNow.Contains(f))).Distinct();

    public int MovesInto(string level) => Moves.Where(m => m.To == level && m.From != level).Sum(m => m.Leads);

    public int MovesOutOf(string level) => Moves.Where(m => m.From == level && m.To != level).Sum(m => m.Leads);
}

/// <summary>
/// Simulates a draft over every stored behavior: each lead's behaviors replayed exactly as the re-score would
/// (<see cref="LeadReplay"/>, fading as of now), manual adjustments kept, nothing written. Reads one snapshot, lead by lead in batches,
/// and reports progress; cancel with the token.
/// </summary>
public sealed class RescorePreview(IDbContextFactory<BehaviorPointsDbContext> dbFactory, IReadSnapshots snapshots, RuleSetService ruleSets, PublishedRuleSets publishedRuleSets, TimeProvider clock)
{
    public const int BiggestChangeCount = 20;
    private const int LeadsPerRead = 2_000;

    private static readonly (string Label, long? Min, long? Max)[] s_buckets =
    [
        ("below 0", null, -1), ("0", 0, 0), ("1–24", 1, 24), ("25–49", 25, 49), ("50–99", 50, 99),
        ("100–199", 100, 199), ("200–499", 200, 499), ("500 and more", 500, null),
    ];

    public async Task<PreviewResult> RunAsync(RuleSetDefinition draft, IProgress<PreviewProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var errors = await ruleSets.ValidateAsync(draft, cancellationToken);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var ruleSet = CompiledRuleSet.Compile(draft, version: 0);
        var now = clock.GetUtcNow().UtcDateTime;
        var bandsAfter = PublishedRuleSets.BandsOf(ruleSet);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One snapshot for the whole preview: a reader, never in ingest's way.
        await using var snapshot = await snapshots.BeginAsync(db, cancellationToken);
        var levelsNow = PublishedRuleSets.BandsOf(await publishedRuleSets.CurrentAsync(db, cancellationToken))?.Options.Select(o => o.Label).ToList() ?? [];
        var leadsTotal = await db.Leads.CountAsync(cancellationToken);
        var behaviorsTotal = await db.Behaviors.LongCountAsync(b => b.LeadId != null, cancellationToken);

        var moves = new Dictionary<(string? From, string? To), int>();
        var categoryNames = ruleSet.Categories.Select(c => c.Name).ToList();
        var categoriesBefore = categoryNames.ToDictionary(c => c, _ => new int[s_buckets.Length]);
        var categoriesAfter = categoryNames.ToDictionary(c => c, _ => new int[s_buckets.Length]);
        var stageMoves = new Dictionary<(string From, string To), int>();
        var before = new int[s_buckets.Length];
        var after = new int[s_buckets.Length];
        var biggest = new PriorityQueue<LeadScoreChange, (long, long)>();
        long behaviorsDone = 0;
        var leadsDone = 0;
        var changed = 0;
        var batches = db.Leads.AsNoTracking().BatchesAsync(l => new { l.Id, l.Name, l.BehaviorPoints, l.IntentLevel, l.Stage }, l => l.Id, LeadsPerRead, cancellationToken);
        await foreach (var leads in batches)
        {
            var histories = await LeadHistories.LoadAsync(db, leads[0].Id, leads[^1].Id, cancellationToken);
            var (first, last) = (leads[0].Id, leads[^1].Id);
            var categoryScores = (categoryNames.Count == 0 ? [] : await db.LeadCategoryScores.AsNoTracking()
                    .Where(c => c.LeadId >= first && c.LeadId <= last).ToListAsync(cancellationToken))
                .ToLookup(c => c.LeadId);

            foreach (var lead in leads)
            {
                var history = histories.Behaviors[lead.Id].ToList();
                var replay = LeadReplay.Replay(ruleSet, history, now);
                var total = replay.RulePoints + histories.ManualPoints(lead.Id);
                foreach (var category in categoryNames)
                {
                    var manual = histories.ManualEntries[lead.Id].Where(e => e.Category == category).Sum(e => (long)e.Points);
                    categoriesBefore[category][Bucket(categoryScores[lead.Id].FirstOrDefault(c => c.Category == category)?.Points ?? 0)]++;
                    categoriesAfter[category][Bucket(replay.CategoryPoints.GetValueOrDefault(category) + manual)]++;
                }
                var (stageAfter, _) = StageReplay.Predict(replay, histories.ManualEntries[lead.Id], histories.ManualMoves[lead.Id], ruleSet, now);
                if (stageAfter != lead.Stage)
                {
                    stageMoves[(lead.Stage, stageAfter)] = stageMoves.GetValueOrDefault((lead.Stage, stageAfter)) + 1;
                }
                var levelAfter = bandsAfter?.LevelOf(total);
                moves[(lead.IntentLevel, levelAfter)] = moves.GetValueOrDefault((lead.IntentLevel, levelAfter)) + 1;
                before[Bucket(lead.BehaviorPoints)]++;
                after[Bucket(total)]++;
                if (total != lead.BehaviorPoints)
                {
                    changed++;
                    var change = new LeadScoreChange(lead.Id, lead.Name, lead.BehaviorPoints, total, lead.IntentLevel, levelAfter);
                    biggest.Enqueue(change, (Math.Abs(change.Delta), -lead.Id));
                    if (biggest.Count > BiggestChangeCount)
                    {
                        biggest.Dequeue();
                    }
                }
                behaviorsDone += history.Count;
            }
            leadsDone += leads.Count;
            progress?.Report(new PreviewProgress(behaviorsDone, behaviorsTotal, leadsDone, leadsTotal));
        }

        var levelsAfter = bandsAfter?.Options.Select(o => o.Label).ToList() ?? [];
        var biggestChanges = new List<LeadScoreChange>();
        while (biggest.TryDequeue(out var change, out _))
        {
            biggestChanges.Add(change);
        }
        biggestChanges.Reverse();
        return new PreviewResult(
            leadsDone,
            behaviorsDone,
            changed,
            levelsNow,
            levelsAfter,
            moves.Select(m => new LevelMove(m.Key.From, m.Key.To, m.Value)).OrderBy(m => levelsNow.IndexOf(m.From ?? "")).ThenBy(m => levelsAfter.IndexOf(m.To ?? "")).ToList(),
            s_buckets.Select((b, i) => new ScoreBucket(b.Label, b.Min, b.Max, before[i], after[i])).ToList(),
            biggestChanges)
        {
            Categories = [.. categoryNames.Select(c => new CategoryDistribution(c, [.. s_buckets.Select((b, i) => new ScoreBucket(b.Label, b.Min, b.Max, categoriesBefore[c][i], categoriesAfter[c][i]))]))],
            StageMoves = [.. stageMoves.OrderByDescending(m => m.Value).Select(m => new StageMove(m.Key.From, m.Key.To, m.Value))],
        };
    }

    private static int Bucket(long total)
    {
        for (var i = 0; i < s_buckets.Length; i++)
        {
            if (s_buckets[i].Max is not { } max || total <= max)
            {
                return i;
            }
        }
        return s_buckets.Length - 1;
    }
}
