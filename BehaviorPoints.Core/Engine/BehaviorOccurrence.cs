namespace BehaviorPoints.Core.Engine;

/// <summary>What the scoring engine sees of a behavior: its type, when it happened and its attributes.</summary>
public sealed record BehaviorOccurrence(string Type, DateTime OccurredAtUtc, IReadOnlyDictionary<string, AttributeValue> Attributes)
{
    /// <summary>Attribute names compare case-insensitively, as admins type them.</summary>
    public static Dictionary<string, AttributeValue> NewAttributeBag() => new(StringComparer.OrdinalIgnoreCase);
}
