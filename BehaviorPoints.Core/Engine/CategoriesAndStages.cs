namespace BehaviorPoints.Core.Engine;

/// <summary>
/// A category of interest (a product or segment, SPEC §12): rules that name it count toward its score as well as the
/// total. It may bucket its score into levels of its own, with ranges like the intent field's.
/// </summary>
public sealed record CategoryDefinition
{
    public string Name { get; init; } = "";

    /// <summary>The category's own levels (e.g. Low, Medium, High), or null/empty when its score is not bucketed.</summary>
    public IReadOnlyList<IntentOptionDefinition>? Ranges { get; init; }
}

/// <summary>One funnel stage: a lead moves on to the next stage when its stage score reaches <see cref="AdvanceAt"/>.</summary>
public sealed record StageDefinition
{
    public string Name { get; init; } = "";

    /// <summary>The stage score that moves a lead to the next stage, or null when only a person moves it on.</summary>
    public long? AdvanceAt { get; init; }

    /// <summary>New, Engaged, Marketing qualified, Sales qualified; moved by hand until an administrator sets thresholds.</summary>
    public static IReadOnlyList<StageDefinition> Defaults { get; } =
    [
        new() { Name = "New" },
        new() { Name = "Engaged" },
        new() { Name = "Marketing qualified" },
        new() { Name = "Sales qualified" },
    ];
}

/// <summary>A category ready for scoring: its name and, when it has ranges, its bands.</summary>
public sealed record CompiledCategory(string Name, IntentBands? Bands)
{
    /// <summary>The lowest score of the top band ("hot for this category"), or null when the category has no ranges.</summary>
    public long? TopBandMin => Bands?.Options[^1].Min;
}

/// <summary>The ordered funnel stages of a rule set and when a lead moves from one to the next.</summary>
public sealed class StagePath
{
    private readonly StageDefinition[] _stages;

    public StagePath(IEnumerable<StageDefinition> stages)
    {
        _stages = [.. stages.Select(s => s with { Name = s.Name.Trim() })];
        if (_stages.Length == 0)
        {
            throw new ArgumentException("A stage path has at least one stage.", nameof(stages));
        }
    }

    public static StagePath Default { get; } = new(StageDefinition.Defaults);

    public IReadOnlyList<StageDefinition> Stages => _stages;

    /// <summary>Where new leads start.</summary>
    public string First => _stages[0].Name;

    /// <summary>The position of <paramref name="stage"/>, or -1 when the path has no such stage (renamed since).</summary>
    public int IndexOf(string? stage) => Array.FindIndex(_stages, s => string.Equals(s.Name, stage, StringComparison.Ordinal));

    /// <summary>The path's own spelling of a stage named <paramref name="name"/> in any case, or null.</summary>
    public string? Find(string? name) => _stages.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))?.Name;

    /// <summary>
    /// The stage a lead in <paramref name="stage"/> moves on to once its stage score is <paramref name="stageScore"/>, with
    /// the threshold it reached; null when it stays (no threshold, not reached, the last stage, or a stage not on the path).
    /// </summary>
    public (string Next, long Threshold)? AdvanceFrom(string? stage, long stageScore)
    {
        var at = IndexOf(stage);
        if (at < 0 || at == _stages.Length - 1 || _stages[at].AdvanceAt is not { } threshold || stageScore < threshold)
        {
            return null;
        }
        return (_stages[at + 1].Name, threshold);
    }
}
