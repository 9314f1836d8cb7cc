using System.Text.Json.Nodes;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BehaviorPoints.Web.Api;

/// <summary>
/// Makes the OpenAPI document a contract: the X-Api-Key scheme, the server from configuration (never the request's
/// Host header), every refusal an operation can give with the problem schema, enums and bounds on parameters, and the
/// required lists the endpoints really enforce (their bodies are read field by field, so the generator cannot know).
/// </summary>
internal sealed class ApiDocument(IConfiguration configuration) : IOpenApiDocumentTransformer
{
    public const string SecuritySchemeName = "ApiKey";
    private const string ProblemSchema = "ProblemDetails";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "BehaviorPoints API";
        document.Info.Description =
            "Send behaviors, manage leads and the scoring rule set. Authenticate with the X-Api-Key header: " +
            "an ingest key may send events and read behavior types; an admin key may do everything. Every error is " +
            "RFC 9457 problem details; a 400 names each field or parameter that is wrong.";
        document.Info.Contact = new OpenApiContact { Name = "The administrators of this BehaviorPoints installation" };
        // Relative unless configured: the document must not echo whatever Host header a request carried.
        document.Servers = [new OpenApiServer { Url = configuration["Api:PublicUrl"]?.TrimEnd('/') is { Length: > 0 } url ? url : "/", Description = "This installation" }];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Events", Description = "Behaviors sent by the marketing system, scored as they arrive." },
            new() { Name = "Leads", Description = "Leads, their Behavior Points and the entries behind them." },
            new() { Name = "Rule set", Description = "The scoring rules: the draft, publishing, and published versions." },
            new() { Name = "Behavior types", Description = "The catalog of behaviors events may name." },
            new() { Name = "Routing", Description = "Routing rules that hand leads to reps, and the follow-up tasks they create." },
            new() { Name = "Webhooks", Description = "Endpoints that receive signed events (Standard Webhooks) when leads change, and their delivery logs." },
            new() { Name = "Websites", Description = "Company websites that send behaviors through the tracker (t.js), their visitors, and releasing visitors held back as suspected bots." },
            new() { Name = "Segment source", Description = "Segment-format messages from Segment, RudderStack or Jitsu, and which behavior each event name becomes." },
            new() { Name = "Website tracker", Description = "The public collector t.js sends to: no API key, only from the allowed origins of the publishable key's site." },
            new() { Name = "Predictive", Description = "The likelihood-to-convert model learnt from closed leads, and whether each rule earns its points." },
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "An API key created by an administrator (shown once).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] });

        var queries = context.ApplicationServices.GetRequiredService<LeadQueries>();
        var levels = await queries.IntentLevelsAsync(cancellationToken);
        var (categories, stages) = await queries.CategoriesAndStagesAsync(cancellationToken);
        var published = new PublishedNames(levels, [.. categories.Select(c => c.Name)], [.. stages.Stages.Select(s => s.Name)]);
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                Describe(document, path, method, operation, published);
            }
        }
        RequireWhatEndpointsRequire(document);
    }

    // The names the published rule set gives the list's filters.
    private sealed record PublishedNames(IReadOnlyList<string> Levels, IReadOnlyList<string> Categories, IReadOnlyList<string> Stages);

    private static void Describe(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation, PublishedNames published)
    {
        operation.Responses ??= [];
        var hasBody = operation.RequestBody is not null;
        var hasQuery = operation.Parameters?.Any(p => p.In == ParameterLocation.Query) ?? false;
        Add(document, operation, "401", "No API key, or one that is unknown or revoked.");
        Add(document, operation, "403", "The API key's scope does not allow this operation.");
        Add(document, operation, "429", "Too many requests from this key or address; the Retry-After header says when to retry.");
        if (hasBody || hasQuery)
        {
            Add(document, operation, "400", "A field or parameter is wrong; the problem names each one.");
        }
        if (hasBody)
        {
            Add(document, operation, "413", "The body is over 1 MiB (or, for events, holds more than 1000).");
            Add(document, operation, "415", "The body is not sent as application/json.");
        }
        if (path.EndsWith("/publish", StringComparison.Ordinal))
        {
            Add(document, operation, "409", "The draft is identical to the published version: there is nothing to publish.");
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            var schema = parameter.Schema as OpenApiSchema;
            switch (parameter.Name)
            {
                case "sort":
                    parameter.Description = "The order of the list; score_desc when left out.";
                    Enumerate(schema, ["score_desc", "score_asc", "name_asc", "created_desc", "last_activity_desc", "category_score_desc"]);
                    break;
                case "mode":
                    parameter.Description = "new_behaviors_only (the default) scores behaviors received from now on; rescore also re-scores every lead in the background.";
                    Enumerate(schema, ["new_behaviors_only", "rescore"]);
                    break;
                case "intentLevel":
                    parameter.Description = "An intent level of the published rule set" + (published.Levels.Count > 0 ? $": {string.Join(", ", published.Levels)}." : ".");
                    Enumerate(schema, published.Levels);
                    break;
                case "category":
                    parameter.Description = "A category of the published rule set" + (published.Categories.Count > 0 ? $": {string.Join(", ", published.Categories)}." : " (it lists none).");
                    Enumerate(schema, published.Categories);
                    break;
                case "minCategoryScore":
                    parameter.Description = "With category: only leads with at least this score in it.";
                    break;
                case "stage":
                    parameter.Description = $"A funnel stage of the published rule set: {string.Join(", ", published.Stages)}.";
                    Enumerate(schema, published.Stages);
                    break;
                case "limit":
                    parameter.Description = $"How many to return, 1 to {LeadQueries.MaxPageSize}; 50 when left out.";
                    Bound(schema, "1", LeadQueries.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "offset":
                    parameter.Description = "How many to skip; 0 when left out.";
                    Bound(schema, "0", null);
                    break;
                case "minScore" or "maxScore":
                    parameter.Description = $"Only leads whose Behavior Points are {(parameter.Name == "minScore" ? "at least" : "at most")} this.";
                    break;
                case "search":
                    parameter.Description = "Text in the lead's name, company, email, phone or external id.";
                    break;
                case "before":
                    parameter.Description = "The nextBefore of the previous page (or an entry id): the page starts after that entry.";
                    break;
                case "id":
                    parameter.Description = path.StartsWith("/api/v1/tasks", StringComparison.Ordinal) ? "The task's id." : "The lead's id.";
                    Bound(schema, "1", null);
                    break;
                case "status" when path.StartsWith("/api/v1/tasks", StringComparison.Ordinal):
                    parameter.Description = "open, done or reclaimed.";
                    Enumerate(schema, ["open", "done", "reclaimed"]);
                    break;
                case "inPool":
                    parameter.Description = "true: only leads without an owner (their team's pool).";
                    break;
                case "ownerEmail":
                    parameter.Description = "Only the leads this user owns.";
                    break;
                case "assigneeEmail":
                    parameter.Description = "Only this user's tasks.";
                    break;
                case "leadId":
                    parameter.Description = "Only this lead's tasks.";
                    break;
                case "version":
                    parameter.Description = "A published version number.";
                    Bound(schema, "1", null);
                    break;
            }
        }
    }

    private static void Add(OpenApiDocument document, OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            if (operation.Responses[status] is OpenApiResponse existing)
            {
                existing.Description = description;
            }
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    private static void Enumerate(OpenApiSchema? schema, IReadOnlyList<string> values)
    {
        if (schema is not null && values.Count > 0)
        {
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)!)];
        }
    }

    private static void Bound(OpenApiSchema? schema, string minimum, string? maximum)
    {
        if (schema is not null)
        {
            schema.Minimum = minimum;
            schema.Maximum = maximum;
        }
    }

    /// <summary>The required lists of the request bodies, as the endpoints enforce them.</summary>
    private static void RequireWhatEndpointsRequire(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return;
        }
        void Require(string name, params string[] properties)
        {
            if (schemas.TryGetValue(name, out var found) && found is OpenApiSchema schema)
            {
                schema.Required = new HashSet<string>(properties);
            }
        }
        Require("LeadInput", "name");
        Require("ContactRequest");
        Require("AdjustmentInput", "points", "reason");
        Require("CustomBehaviorTypeRequest", "code");
        Require("EventRequest", "eventId", "behavior");
        // A rule's fading schedule (SPEC §9): 1 to 5 steps, each within its range (their order is checked on PUT).
        Require("DecayDefinition", "steps");
        Require("DecayStepDefinition", "afterDays", "keepPercent");
        if (schemas.TryGetValue("DecayDefinition", out var decay) && decay is OpenApiSchema { Properties: { } decayProperties }
            && decayProperties.TryGetValue("steps", out var steps) && steps is OpenApiSchema stepList)
        {
            stepList.MinItems = 1;
            stepList.MaxItems = DecaySchedule.MaxSteps;
        }
        if (schemas.TryGetValue("DecayStepDefinition", out var step) && step is OpenApiSchema { Properties: { } stepProperties })
        {
            Bound(stepProperties.TryGetValue("afterDays", out var days) ? days as OpenApiSchema : null, "1", DecaySchedule.MaxAfterDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Bound(stepProperties.TryGetValue("keepPercent", out var keep) ? keep as OpenApiSchema : null, "0", "99");
        }
        if (schemas.TryGetValue("EventRequest", out var eventSchema) && eventSchema is OpenApiSchema @event)
        {
            // Who did it: a lead id, or a contact (with at least one of its fields).
            @event.AnyOf = [new OpenApiSchema { Required = new HashSet<string> { "leadId" } }, new OpenApiSchema { Required = new HashSet<string> { "contact" } }];
        }
    }
}
