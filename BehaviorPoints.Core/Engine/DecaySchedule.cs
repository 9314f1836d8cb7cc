namespace BehaviorPoints.Core.Engine;

/// <summary>One step of an entry's fading: when it is due, and the points its decay entry holds.</summary>
/// <param name="Step">1 for the schedule's first step.</param>
/// <param name="DueAt">The behavior's time plus the step's days, to the second.</param>
/// <param name="Points">The decay entry's points: what the entry keeps after this step less what it kept before.</param>
/// <param name="Kept">What the entry is worth once this step is written.</param>
public readonly record struct DecayStep(int Step, DateTime DueAt, int Points, int Kept)
{
    /// <summary>Whether the step is to be written by <paramref name="now"/> (due to the second, inclusive).</summary>
    public bool IsDueBy(DateTime now) => DueAt <= now;
}

/// <summary>
/// A rule's fading schedule (SPEC §9), pure arithmetic: an entry of <c>P</c> points for a behavior at <c>T</c> keeps
/// <c>round(P × keep / 100)</c> (half away from zero) from <c>T + afterDays</c> on, and each step's decay entry holds
/// the difference to what was kept before, so the entry and its decays always sum to the kept value.
/// </summary>
public sealed class DecaySchedule
{
    private readonly (int AfterDays, int KeepPercent)[] _steps;

    private DecaySchedule((int AfterDays, int KeepPercent)[] steps) => _steps = steps;

    public const int MaxSteps = 5;
    public const int MaxAfterDays = 3650;

    public IReadOnlyList<(int AfterDays, int KeepPercent)> Steps => _steps;

    /// <summary>The compiled schedule of a valid definition; null when the rule does not fade.</summary>
    public static DecaySchedule? Of(DecayDefinition? decay) =>
        decay is null || decay.Steps is not { Count: > 0 } steps ? null
            : new DecaySchedule([.. steps.Select(s => (s.AfterDays, s.KeepPercent))]);

    /// <summary>What an entry of <paramref name="points"/> keeps after a step keeping <paramref name="keepPercent"/> %.</summary>
    public static int Kept(int points, int keepPercent) =>
        (int)Math.Round(points * (decimal)keepPercent / 100m, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The decay steps of an entry of <paramref name="points"/> for a behavior at <paramref name="occurredAt"/>, in due
    /// order. A step whose rounding keeps what the step before kept changes nothing and is left out: it would be an entry
    /// of zero points.
    /// </summary>
    public IEnumerable<DecayStep> For(int points, DateTime occurredAt)
    {
        var kept = points;
        for (var i = 0; i < _steps.Length; i++)
        {
            var next = Kept(points, _steps[i].KeepPercent);
            if (next != kept)
            {
                yield return new DecayStep(i + 1, occurredAt.AddDays(_steps[i].AfterDays), next - kept, next);
                kept = next;
            }
        }
    }
}
