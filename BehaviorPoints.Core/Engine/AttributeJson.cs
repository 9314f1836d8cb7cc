using System.Text.Json;

namespace BehaviorPoints.Core.Engine;

/// <summary>Reads a stored behavior's attributes (a JSON object, as the API received them) into the engine's attribute bag.</summary>
public static class AttributeJson
{
    /// <summary>Rebuilds a stored behavior's attributes for scoring.</summary>
    public static Dictionary<string, AttributeValue> Read(string attributesJson)
    {
        var bag = BehaviorOccurrence.NewAttributeBag();
        using var document = JsonDocument.Parse(attributesJson);
        foreach (var attribute in document.RootElement.EnumerateObject())
        {
            if (AttributeValue.TryFromJson(attribute.Value, out var value))
            {
                bag[attribute.Name] = value;
            }
        }
        return bag;
    }
}
