namespace BehaviorPoints.Core.Domain;

/// <summary>The one fit model: its editable draft and the number of the version in force.</summary>
public sealed class FitModel
{
    public int Id { get; set; }

    /// <summary>The draft as fit-model definition (<c>FitModelDefinition</c>) JSON.</summary>
    public string DraftJson { get; set; } = "{}";
    public DateTime DraftUpdatedAt { get; set; }
    public int? PublishedVersion { get; set; }
}

/// <summary>One published, immutable version of the fit model.</summary>
public sealed class FitModelVersion
{
    public int Id { get; set; }
    public int Version { get; set; }
    public string DefinitionJson { get; set; } = "{}";
    public DateTime PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
}

/// <summary>A lead's fit: the score, its level, and the version of the model that computed it.</summary>
public readonly record struct FitResult(int Score, string Level, int Version);
