using System.Text.Json;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>What publishing a draft would change against the published version, by rule name.</summary>
public sealed record RuleSetChanges(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Changed,
    bool OrderChanged,
    bool BasicInfoChanged,
    bool IntentFieldChanged)
{
    /// <summary>Whether the categories (names or levels) or the stages differ.</summary>
    public bool CategoriesChanged { get; init; }
    public bool StagesChanged { get; init; }

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && !OrderChanged && !BasicInfoChanged && !IntentFieldChanged
        && !CategoriesChanged && !StagesChanged;

    /// <summary>Compares a draft with the published version (null before the first publish: every rule is new).</summary>
    public static RuleSetChanges Between(RuleSetDefinition? published, RuleSetDefinition draft)
    {
        var before = (published?.Rules ?? []).ToDictionary(r => r.Name.Trim(), StringComparer.OrdinalIgnoreCase);
        var after = (draft.Rules ?? []).Where(r => r is not null).ToList();
        var afterNames = after.Select(r => r.Name.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var added = after.Where(r => !before.ContainsKey(r.Name.Trim())).Select(r => r.Name.Trim()).ToList();
        var removed = before.Keys.Where(name => !afterNames.Contains(name)).ToList();
        var changed = after
            .Where(r => before.TryGetValue(r.Name.Trim(), out var old) && Json(old) != Json(r))
            .Select(r => r.Name.Trim())
            .ToList();
        var keptBefore = (published?.Rules ?? []).Select(r => r.Name.Trim()).Where(afterNames.Contains).ToList();
        var keptAfter = after.Select(r => r.Name.Trim()).Where(before.ContainsKey).ToList();
        var orderChanged = !keptBefore.SequenceEqual(keptAfter, StringComparer.OrdinalIgnoreCase);

        var basicInfoChanged = published is not null
            && (published.Name != draft.Name || published.ApiName != draft.ApiName || (published.Description ?? "") != (draft.Description ?? ""));
        var intentChanged = published is not null && Json(published.IntentField) != Json(draft.IntentField);
        return new RuleSetChanges(added, removed, changed, orderChanged, basicInfoChanged, intentChanged)
        {
            CategoriesChanged = published is not null && Json(published.Categories) != Json(draft.Categories),
            StagesChanged = published is not null && Json(published.Stages) != Json(draft.Stages),
        };
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, CoreJson.Options);
}
