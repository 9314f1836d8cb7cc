namespace BehaviorPoints.Core.Engine;

/// <summary>A stored behavior as a replay reads it.</summary>
public sealed record ReplayBehavior(long Id, string EventId, string Type, DateTime OccurredAt, string AttributesJson);

/// <summary>One rule entry a replay produced, with the fading schedule of its rule (null when it keeps its points).</summary>
public sealed record ReplayedEntry(
    long BehaviorId, string EventId, string BehaviorType, DateTime OccurredAt, string RuleName, int Points, DecaySchedule? Decay = null, string? Category = null);

/// <summary>
/// What a lead's behaviors come to under a rule set at a moment: the rule entries in order, their points with the decay
/// steps due by then (<see cref="RulePoints"/>), and the limit counts.
/// </summary>
public sealed record ReplayResult(IReadOnlyList<ReplayedEntry> Entries, long RulePoints, LimitCounts Counts)
{
    /// <summary>The rule points (with due decay steps) per category.</summary>
    public IReadOnlyDictionary<string, long> CategoryPoints { get; init; } = new Dictionary<string, long>();
}

/// <summary>
/// Replays one lead's stored behaviors, in the order they arrived, through the pure engine with fresh limit counts,
/// exactly as ingest would have scored them under that rule set at <c>now</c>: an entry's decay steps due by then count
/// (SPEC §9). The re-score writes the result; the preview only adds it up, so the preview's numbers are the re-score's.
/// </summary>
public static class LeadReplay
{
    public static ReplayResult Replay(CompiledRuleSet ruleSet, IEnumerable<ReplayBehavior> behaviorsInArrivalOrder, DateTime now)
    {
        var counts = new LimitCounts();
        var entries = new List<ReplayedEntry>();
        var categories = new Dictionary<string, long>();
        long points = 0;
        foreach (var behavior in behaviorsInArrivalOrder)
        {
            var hits = ScoringEngine.Score(ruleSet, new BehaviorOccurrence(behavior.Type, behavior.OccurredAt, AttributeJson.Read(behavior.AttributesJson)), counts);
            foreach (var hit in hits)
            {
                entries.Add(new ReplayedEntry(behavior.Id, behavior.EventId, behavior.Type, behavior.OccurredAt, hit.Rule.Name, hit.Points, hit.Rule.Decay, hit.Rule.Category));
                var entryPoints = (long)hit.Points;
                if (hit.Rule.Decay is { } decay)
                {
                    entryPoints += decay.For(hit.Points, behavior.OccurredAt).Where(s => s.IsDueBy(now)).Sum(s => s.Points);
                }
                points += entryPoints;
                if (hit.Rule.Category is { } category)
                {
                    categories[category] = categories.GetValueOrDefault(category) + entryPoints;
                }
            }
            counts.Record(hits);
        }
        return new ReplayResult(entries, points, counts) { CategoryPoints = categories };
    }
}
