using System.Text.Json;
using System.Text.Json.Serialization;

namespace BehaviorPoints.Core;

/// <summary>The JSON conventions of SPEC §5 (camelCase, web defaults), shared by storage and the API.</summary>
public static class CoreJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
