using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Walks a lead's entries through a stage path again from its first stage, as a re-score rebuilds its stage history
/// (SPEC §12): entries in the order of their times (an entry's due decay steps right after it), advances where the
/// stage score reaches a threshold, dated by the entry that reached it, and the manual moves people made, kept at
/// their times. Each entry gets the stage visit it now counts in.
/// </summary>
public static class StageReplay
{
    /// <summary>One entry of the walk, at the time it counts (a decay step at its rule entry's time).</summary>
    public readonly record struct WalkEntry(DateTime At, ScoreEntry Entry);

    /// <summary>
    /// What a lead's stage would be after a replay under <paramref name="ruleSet"/> at <paramref name="now"/> (for the
    /// re-score preview): its replayed entries with their due decay steps, its manual adjustments and moves, walked
    /// from the first stage on a copy of the lead. Nothing is written.
    /// </summary>
    public static (string Stage, long StageScore) Predict(
        ReplayResult replay, IEnumerable<ScoreEntry> manualEntries, IEnumerable<StageChange> manualMoves, CompiledRuleSet ruleSet, DateTime now)
    {
        var walk = new List<WalkEntry>();
        foreach (var entry in replay.Entries)
        {
            walk.Add(new(entry.OccurredAt, new ScoreEntry { Points = entry.Points }));
            foreach (var step in entry.Decay?.For(entry.Points, entry.OccurredAt).Where(s => s.IsDueBy(now)) ?? [])
            {
                walk.Add(new(entry.OccurredAt, new ScoreEntry { Points = step.Points }));
            }
        }
        walk.AddRange(manualEntries.Select(e => new WalkEntry(e.OccurredAt, new ScoreEntry { Points = e.Points })));
        var lead = new LedgerLead(0, null, null, null, null, 0, null, null, ruleSet.Stages.First, 0, 0);
        Walk(lead, walk, manualMoves, ruleSet.Stages, new LedgerWrites());
        return (lead.Stage, lead.StageScore);
    }

    /// <summary>
    /// Restarts <paramref name="lead"/> (tracked by <paramref name="writes"/>) at the path's first stage and walks
    /// <paramref name="entries"/> and <paramref name="manualMoves"/> (a move to a stage no longer on the path is dropped).
    /// </summary>
    public static void Walk(
        IScoredLead lead, IEnumerable<WalkEntry> entries, IEnumerable<StageChange> manualMoves, StagePath stages, LedgerWrites writes)
    {
        lead.RestartStages(stages.First);
        var steps = entries.Select(e => (e.At, Entry: (ScoreEntry?)e.Entry, Move: (StageChange?)null))
            .Concat(manualMoves.Select(m => (At: m.ChangedAt, Entry: (ScoreEntry?)null, Move: (StageChange?)m)))
            .OrderBy(s => s.At);
        foreach (var (at, entry, move) in steps)
        {
            if (entry is not null)
            {
                writes.CreditStage(lead, entry, stages, at);
            }
            else if (stages.Find(move!.To) is { } to && to != lead.Stage)
            {
                writes.StageChanges.Add(StageChange.Move(lead, to, StageChangeReason.Manual, null, move.ChangedBy, move.ChangedAt));
            }
        }
    }
}
