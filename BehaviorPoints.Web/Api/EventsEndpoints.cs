using System.Text.Json;
using BehaviorPoints.Core;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Scoring;

namespace BehaviorPoints.Web.Api;

/// <summary><c>POST /api/v1/events</c>: one event or <c>{"events": [...]}</c> with up to 1000.</summary>
internal static class EventsEndpoints
{
    public const int MaxBatch = 1000;

    public static void MapEventsEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/events", IngestAsync)
            .RequireAuthorization(ApiPolicies.Ingest)
            .WithName("SendEvents")
            .WithSummary("Send behaviors to be scored")
            .WithDescription("One event object, or {\"events\": [...]} with up to 1000. Each event is answered on its own: scored, no_match, duplicate, unlinked or rejected (with the reason). A body that is not JSON, is over 1 MiB or holds more than 1000 events is refused whole.")
            .Accepts<EventBatchRequest>("application/json")
            .Produces<EventsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> IngestAsync(HttpRequest request, Ledger ledger, BehaviorTypes behaviorTypes, TimeProvider clock, CancellationToken cancellationToken)
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
                return ApiResults.BadRequest("Body must be an object", "Send one event object, or {\"events\": [ ... ]}.");
            }

            // Problems inside one event are that event's answer; a body whose own keys cannot be read is refused.
            if (root.TryGetProperty("events", out _) && JsonChecks.FindInNames(root) is { } problem)
            {
                return ApiResults.Unreadable(problem);
            }

            List<JsonElement> events;
            if (root.TryGetProperty("events", out var batch))
            {
                if (batch.ValueKind != JsonValueKind.Array)
                {
                    return ApiResults.BadRequest("events must be an array", "\"events\" must be an array of event objects.");
                }
                var count = batch.GetArrayLength();
                if (count > MaxBatch)
                {
                    return ApiResults.TooLarge($"A batch holds at most {MaxBatch} events; this one has {count}.");
                }
                events = [.. batch.EnumerateArray()];
            }
            else
            {
                events = [root];
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var catalog = await behaviorTypes.CatalogAsync(cancellationToken);
            var results = new IngestResult[events.Count];
            var accepted = new List<(int Index, IncomingBehavior Behavior)>(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                var read = EventReader.Read(events[i], now, catalog);
                if (read.Behavior is { } behavior)
                {
                    accepted.Add((i, behavior));
                }
                else
                {
                    results[i] = IngestResult.Rejected(read.EventId, read.Error!);
                }
            }

            var scored = await ledger.IngestAsync([.. accepted.Select(a => a.Behavior)], cancellationToken);
            for (var a = 0; a < accepted.Count; a++)
            {
                results[accepted[a].Index] = scored[a];
            }
            return TypedResults.Ok(new EventsResponse(results));
        }
    }
}

/// <summary>The answer to <c>POST /api/v1/events</c>: one result per event, in the order sent.</summary>
public sealed record EventsResponse(IReadOnlyList<IngestResult> Results);

/// <summary>The batch form of the events body (for the API reference).</summary>
public sealed record EventBatchRequest(IReadOnlyList<EventRequest> Events);

/// <summary>One event as the marketing system sends it (for the API reference; the server reads it field by field).</summary>
public sealed record EventRequest(
    string EventId,
    string Behavior,
    DateTimeOffset? OccurredAt,
    long? LeadId,
    ContactRequest? Contact,
    Dictionary<string, JsonElement>? Attributes);

/// <summary>Who did it, when the lead id is not known.</summary>
public sealed record ContactRequest(string? Email, string? Phone, string? ExternalId);
