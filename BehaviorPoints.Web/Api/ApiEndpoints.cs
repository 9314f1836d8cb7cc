namespace BehaviorPoints.Web.Api;

/// <summary>Maps the HTTP API of SPEC §5 under <c>/api/v1</c>.</summary>
internal static class ApiEndpoints
{
    public static void MapBehaviorPointsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1")
            .WithTags("Events")
            .DisableAntiforgery()
            .RequireRateLimiting(ApiRateLimiting.Policy)
            .AddEndpointFilter(RefuseControlCharactersInQuery);
        api.MapEventsEndpoints();
        api.MapLeadsEndpoints();
        api.MapRuleSetEndpoints();
        api.MapBehaviorTypesEndpoints();
        api.MapRoutingEndpoints();
        api.MapWebhookEndpoints();
        api.MapPredictiveEndpoints();
        api.MapSitesEndpoints();
        api.MapSegmentEndpoints();
    }

    /// <summary>No query parameter of the API means a control character; one is refused, naming the parameter.</summary>
    private static async ValueTask<object?> RefuseControlCharactersInQuery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var (name, values) in context.HttpContext.Request.Query)
        {
            if (values.Any(value => value is not null && Core.UserText.HasControlCharacters(value)))
            {
                return ApiResults.Invalid(name, $"{name} must not contain control characters.");
            }
        }
        return await next(context);
    }
}
