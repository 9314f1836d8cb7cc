using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Tracking;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>
/// The Segment-compatible source (SPEC §16): the HTTP Tracking API's <c>batch</c>, <c>track</c>, <c>identify</c> and
/// <c>page</c> with an ingest key as the Basic-auth user name, and the mapping of <c>track</c> event names to behaviors.
/// </summary>
internal static class SegmentApi
{
    /// <summary>The mapping table, and the event names received that map to nothing yet.</summary>
    public sealed record ApiMappings(IReadOnlyList<ApiMapping> Mappings, IReadOnlyList<UnmappedSegmentEvent>? Unmapped = null);

    public sealed record ApiMapping(string Event, string Behavior);

    /// <summary>A Segment batch (for the API reference; messages are read field by field).</summary>
    public sealed record SegmentBatch(IReadOnlyList<SegmentMessage> Batch);

    /// <summary>One Segment message.</summary>
    public sealed record SegmentMessage(
        string Type, string MessageId, string? AnonymousId, string? UserId, string? Event, string? Name, DateTimeOffset? Timestamp,
        Dictionary<string, JsonElement>? Properties, Dictionary<string, JsonElement>? Traits, Dictionary<string, JsonElement>? Context);

    public static void MapSegmentEndpoints(this RouteGroupBuilder api)
    {
        var segment = api.MapGroup("/sources/segment").WithTags("Segment source");

        segment.MapPost("/v1/batch", (HttpRequest request, SegmentSource source, CancellationToken cancellationToken) => ReceiveAsync(request, source, null, cancellationToken))
            .RequireAuthorization(ApiPolicies.Ingest)
            .WithName("SegmentBatch").WithSummary("Segment-format messages, as a Segment destination sends them")
            .WithDescription($"The Segment HTTP Tracking API's batch: {{\"batch\": [ ... ]}} with up to {SegmentSource.MaxMessages} track, identify, page or screen messages. "
                + "Authenticate with an ingest API key as the Basic-auth user name (no password), or the X-Api-Key header. messageId is the event id; anonymousId a visitor; userId the contact's external id; traits.email or context.traits.email the email. "
                + "A track event's name maps to a behavior through the mapping table; an unmapped one is kept unscored and listed for mapping. Each message is answered on its own.")
            .Accepts<SegmentBatch>("application/json")
            .Produces<SegmentAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        foreach (var type in new[] { "track", "identify", "page" })
        {
            segment.MapPost($"/v1/{type}", (HttpRequest request, SegmentSource source, CancellationToken cancellationToken) => ReceiveAsync(request, source, type, cancellationToken))
                .RequireAuthorization(ApiPolicies.Ingest)
                .WithName("Segment" + char.ToUpperInvariant(type[0]) + type[1..]).WithSummary($"One Segment {type} message")
                .WithDescription($"One Segment {type} message, as /v1/batch takes them; its type is {type}.")
                .Accepts<SegmentMessage>("application/json")
                .Produces<SegmentAnswer>()
                .ProducesProblem(StatusCodes.Status400BadRequest);
        }

        segment.MapGet("/mappings", async (SegmentSource source, CancellationToken cancellationToken) =>
            Results.Ok(new ApiMappings([.. (await source.ListMappingsAsync(cancellationToken)).Select(m => new ApiMapping(m.Event, m.Behavior))], await source.UnmappedAsync(cancellationToken))))
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("GetSegmentMappings").WithSummary("The Segment event mapping")
            .WithDescription("Which behavior each track event name becomes, and the names received that map to nothing yet, with how many are kept.")
            .Produces<ApiMappings>();

        segment.MapPut("/mappings", async (HttpRequest request, SegmentSource source, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        {
            var (input, error) = await JsonBody.ReadAsync<ApiMappings>(request, json.Value.SerializerOptions, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            var saved = await source.SaveMappingsAsync([.. (input!.Mappings ?? []).Select(m => new SegmentMapping { Event = m?.Event ?? "", Behavior = m?.Behavior ?? "" })], cancellationToken);
            return Results.Ok(new ApiMappings([.. saved.Select(m => new ApiMapping(m.Event, m.Behavior))]));
        })
        .RequireAuthorization(ApiPolicies.Admin)
        .WithName("PutSegmentMappings").WithSummary("Replace the Segment event mapping")
        .WithDescription("{\"mappings\": [{\"event\": \"Whitepaper Downloaded\", \"behavior\": \"content.download\"}]}. Events kept unmapped whose name now maps become that behavior and are scored, in time order, where their lead is known.")
        .Accepts<ApiMappings>("application/json")
        .Produces<ApiMappings>()
        .ProducesValidationProblem();
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, SegmentSource source, string? type, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadBytesAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, JsonBody.DocumentOptions);
        }
        catch (JsonException exception)
        {
            return ApiResults.FromJsonException(exception);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiResults.BadRequest("Body must be an object", type is null ? "Send {\"batch\": [ ... ]}." : $"Send one {type} message.");
            }
            if (type is null)
            {
                if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
                {
                    return ApiResults.Invalid("batch", "batch must be an array of messages.");
                }
                if (batch.GetArrayLength() > SegmentSource.MaxMessages)
                {
                    return ApiResults.TooLarge($"A batch holds at most {SegmentSource.MaxMessages} messages; this one has {batch.GetArrayLength()}.");
                }
                return Results.Ok(await source.ReceiveAsync([.. batch.EnumerateArray()], null, cancellationToken));
            }
            // The per-type endpoints' messages may leave their type out: it is the endpoint's.
            return Results.Ok(await source.ReceiveAsync([root], type, cancellationToken));
        }
    }
}
