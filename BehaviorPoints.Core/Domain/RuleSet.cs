using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Domain;

/// <summary>
/// The rule set of one scoring object: its editable draft and the number of its current published version.
/// Published versions are immutable rows of <see cref="RuleSetVersion"/>.
/// </summary>
public sealed class RuleSet
{
    public int Id { get; set; }

    /// <summary>Unique: one rule set per scoring object.</summary>
    public string ScoringObject { get; set; } = ScoringObjects.Leads;

    /// <summary>Unique across rule sets; mirrors the draft's API name.</summary>
    public string ApiName { get; set; } = "";

    /// <summary>The draft as SPEC §5 JSON.</summary>
    public string DraftJson { get; set; } = "{}";
    public DateTime DraftUpdatedAt { get; set; }
    public int? PublishedVersion { get; set; }
    public List<RuleSetVersion> Versions { get; } = [];
}

/// <summary>One published, immutable version of a rule set.</summary>
public sealed class RuleSetVersion
{
    public int Id { get; set; }
    public int RuleSetId { get; set; }
    public int Version { get; set; }
    public string DefinitionJson { get; set; } = "{}";
    public DateTime PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
}
