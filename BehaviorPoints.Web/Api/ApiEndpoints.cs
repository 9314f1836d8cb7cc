namespace BehaviorPoints.Web.Api;

/// <summary>Maps the HTTP API of SPEC §5 under <c>/api/v1</c>.</summary>
internal static class ApiEndpoints
{
    public static void MapBehaviorPointsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags("Events").DisableAntiforgery().RequireRateLimiting(ApiRateLimiting.Policy);
        api.MapEventsEndpoints();
        api.MapLeadsEndpoints();
        api.MapRuleSetEndpoints();
        api.MapBehaviorTypesEndpoints();
    }
}
