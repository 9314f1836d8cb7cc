using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BehaviorPoints.Web.Api;

/// <summary>Titles the OpenAPI document and declares the X-Api-Key scheme, so the reference page can send requests.</summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string SecuritySchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "BehaviorPoints API";
        document.Info.Description =
            "Send behaviors, manage leads and the scoring rule set. Authenticate with the X-Api-Key header: " +
            "an ingest key may send events and read behavior types; an admin key may do everything.";

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
        return Task.CompletedTask;
    }
}
