using System.Text.Json;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core;

namespace BehaviorPoints.Web.Api;

/// <summary>Downloads the draft or a published version as the SPEC §5 JSON, for administrators signed in to the app.</summary>
internal static class RuleSetExport
{
    private static readonly JsonSerializerOptions s_indented = new(CoreJson.Options) { WriteIndented = true };

    public static void MapRuleSetExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/scoring-rules/export", async (int? version, RuleSetService ruleSets, CancellationToken cancellationToken) =>
        {
            var definition = version is { } v ? await ruleSets.GetVersionAsync(v, cancellationToken) : await ruleSets.GetDraftAsync(cancellationToken);
            if (definition is null)
            {
                return Results.NotFound();
            }
            var name = version is { } n ? $"{definition.ApiName}-v{n}.json" : $"{definition.ApiName}-draft.json";
            return Results.File(JsonSerializer.SerializeToUtf8Bytes(definition, s_indented), "application/json", name);
        })
        .RequireAuthorization(Policies.Administrator)
        .ExcludeFromDescription();
    }
}
